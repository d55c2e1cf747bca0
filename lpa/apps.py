from django.apps import AppConfig


class LpaConfig(AppConfig):
    name = "lpa"
    verbose_name = "การประเมินประสิทธิภาพ (LPA) และเงินรางวัลประจำปี"
    # For the page cache (lao_integrity/pagecache/declarations.py); BonusRule is national.
    organisation_paths = {
        "LpaResult": "organisation",
        "LpaAreaScore": "result__organisation",
        "BonusScore": "organisation",
        "BonusRule": None,
    }

    def ready(self):
        # Each sub-domain registers with the kernel (search, documents, sections...) from here.
        from .bonus import register as bonus_register
        from .results import register as results_register

        results_register.register()
        bonus_register.register()
