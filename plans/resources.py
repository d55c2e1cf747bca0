"""The plan's project list as the admin and the plan page export it (django-import-export); the
columns and the import are in exchange.py."""

from import_export import fields, resources, widgets

from .exchange import (
    COL_BUDGET,
    COL_DIMENSION,
    COL_NAME,
    COL_REMARK,
    COL_SEQUENCE,
    HEADERS,
    QUARTER_COLUMNS,
    TICK,
    TOTAL_LABEL,
)
from .models import Project

__all__ = ["HEADERS", "TICK", "TOTAL_LABEL", "ProjectResource"]


class TickWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return TICK if value else ""


class ValueWidget(widgets.Widget):
    """The value as it is: a number stays a number (a numeric cell in xlsx)."""

    def render(self, value, obj=None, **kwargs):
        return value


class DimensionField(fields.Field):
    """"2", or "*2" for a project added after the baseline."""

    def __init__(self, **kwargs):
        super().__init__(attribute="dimension", column_name=COL_DIMENSION, **kwargs)

    def export(self, instance, **kwargs):
        return instance.dimension_label


class ProjectResource(resources.ModelResource):
    sequence = fields.Field(attribute="sequence", column_name=COL_SEQUENCE, widget=ValueWidget())
    name = fields.Field(attribute="name", column_name=COL_NAME, widget=widgets.CharWidget())
    dimension = DimensionField()
    budget = fields.Field(attribute="budget", column_name=COL_BUDGET, widget=ValueWidget())
    q1 = fields.Field(attribute="q1", column_name=QUARTER_COLUMNS[0], widget=TickWidget())
    q2 = fields.Field(attribute="q2", column_name=QUARTER_COLUMNS[1], widget=TickWidget())
    q3 = fields.Field(attribute="q3", column_name=QUARTER_COLUMNS[2], widget=TickWidget())
    q4 = fields.Field(attribute="q4", column_name=QUARTER_COLUMNS[3], widget=TickWidget())
    remark = fields.Field(attribute="remark", column_name=COL_REMARK, widget=widgets.CharWidget())

    class Meta:
        model = Project
        fields = ("sequence", "name", "dimension", "budget", "q1", "q2", "q3", "q4", "remark")
        export_order = ("sequence", "name", "dimension", "budget", "q1", "q2", "q3", "q4", "remark")

    def get_export_headers(self, selected_fields=None):
        return list(HEADERS)

    def dehydrate_budget(self, project):
        return project.budget
