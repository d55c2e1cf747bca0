from django.apps import AppConfig


class VerificationConfig(AppConfig):
    """The public verification page of issued documents (no models: nothing is stored)."""

    name = "lao_integrity.verification"
    label = "verification"
    verbose_name = "ตรวจสอบเอกสาร"
