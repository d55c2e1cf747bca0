from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "ข้อตกลงการปฏิบัติราชการ"

    def ready(self):
        from . import documents, org_documents

        # The organisation agreement's structured annex on the kernel's "agreement" announcement,
        # and the unit/individual agreement PDF for render_pdf.
        org_documents.register_documents()
        documents.register_documents()
