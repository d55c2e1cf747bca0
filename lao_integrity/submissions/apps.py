from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    """One-time form submissions: a create or an irreversible action is accepted once per form."""

    name = "lao_integrity.submissions"
    label = "submissions"
    verbose_name = "การส่งแบบฟอร์ม"
