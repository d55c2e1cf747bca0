from django.db import models


class DataVersion(models.Model):
    """A counter per app whose tables a cached page reads; every committed write raises it."""

    domain = models.CharField(max_length=40, primary_key=True)
    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "รุ่นข้อมูล"
        verbose_name_plural = "รุ่นข้อมูล"

    def __str__(self):
        return f"{self.domain} {self.counter}"
