from django.apps import AppConfig


class PublicationConfig(AppConfig):
    """Publishing signed documents and the public pages that show them."""

    name = "lao_integrity.publication"
    label = "publication"
    verbose_name = "การเผยแพร่ต่อสาธารณะ"
    organisation_paths = {"Publication": "organisation"}
