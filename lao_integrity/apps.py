from django.apps import AppConfig


class KernelConfig(AppConfig):
    """The shared kernel: Thai formatting, templates tags, demo seeding."""

    name = "lao_integrity"
    label = "kernel"
    verbose_name = "ระบบกลาง"
