from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Dashboards of an area for supervisors (ท้องถิ่นอำเภอ, ท้องถิ่นจังหวัด, national): the figures
    come from the obligations kernel and from the providers the apps register (registry.py)."""

    name = "lao_integrity.supervision"
    label = "supervision"
    verbose_name = "การกำกับดูแล"
    organisation_paths: dict = {}  # no models

    def ready(self):
        from . import obligations, registry

        registry.register("obligations", obligations.figures, title="แผนปฏิบัติการป้องกันการทุจริต: การดำเนินการตามกำหนด",
                          order=10)
        registry.register("measures", obligations.measure_figures, title="มาตรการส่งเสริมคุณธรรมและความโปร่งใส",
                          order=40)
