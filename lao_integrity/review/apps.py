from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """Submissions for approval and returns with a comment, for every app's documents."""

    name = "lao_integrity.review"
    label = "review"
    verbose_name = "การเสนออนุมัติ"
    organisation_paths = {"ReviewEvent": "organisation"}
