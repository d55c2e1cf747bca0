from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "lao_integrity.orgs"
    label = "orgs"
    verbose_name = "องค์กรปกครองส่วนท้องถิ่น"
