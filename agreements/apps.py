from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "ข้อตกลงการปฏิบัติราชการ"

    def ready(self):
        from .organisation import documents as organisation_documents
        from .performance import documents as performance_documents

        # The organisation agreement's structured annex on the kernel's "agreement" announcement,
        # and the unit/individual agreement PDF for render_pdf.
        organisation_documents.register_documents()
        performance_documents.register_documents()
