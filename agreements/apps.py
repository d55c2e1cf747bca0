from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "ข้อตกลงการปฏิบัติราชการ"
    # The organisation a row of each model belongs to (None: national data), for the page cache
    # (lao_integrity/pagecache/declarations.py): one organisation's edits refresh its own pages.
    organisation_paths = {
        "OrgAgreement": "organisation",
        "Topic": "agreement__organisation",
        "TopicItem": "topic__agreement__organisation",
        "PerformanceAgreement": "organisation",
        "AgreementIndicator": "agreement__organisation",
        "IndicatorProgress": "indicator__agreement__organisation",
    }

    def ready(self):
        from .organisation import documents as organisation_documents
        from .performance import documents as performance_documents
        from .performance import obligations as performance_obligations
        from .performance import publication as performance_publication
        from .performance import verification as performance_verification
        from .public import sections as public_sections

        # The organisation agreement's structured annex on the kernel's "agreement" announcement,
        # and the unit/individual agreement PDF for render_pdf.
        organisation_documents.register_documents()
        performance_documents.register_documents()
        performance_obligations.register_obligations()
        performance_publication.register_publication()
        performance_verification.register_verification()
        public_sections.register_sections()
