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
