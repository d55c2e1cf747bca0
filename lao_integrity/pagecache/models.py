from django.db import models


class DataVersion(models.Model):
    """A counter that every committed write to what it covers raises (versions.py): "plans" (any
    write outside an organisation's scope), "plans@42" (organisation 42's), "plans*" (every write)."""

    name = models.CharField(max_length=60, primary_key=True)
    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "รุ่นข้อมูล"

    def __str__(self):
        return f"{self.name} {self.counter}"
