"""The organisation registry as the admin exports it (django-import-export); the columns and the
import are in exchange.py."""

from import_export import fields, resources, widgets

from .exchange import FIELDS, HEADERS
from .models import Organisation, OrgType


class OrgTypeWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return OrgType(value).label if value else ""


class OrganisationResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name=HEADERS[0], widget=widgets.CharWidget())
    org_type = fields.Field(attribute="org_type", column_name=HEADERS[1], widget=OrgTypeWidget())
    name = fields.Field(attribute="name", column_name=HEADERS[2], widget=widgets.CharWidget())
    district = fields.Field(attribute="district", column_name=HEADERS[3], widget=widgets.CharWidget())
    province = fields.Field(attribute="province", column_name=HEADERS[4], widget=widgets.CharWidget())

    class Meta:
        model = Organisation
        fields = tuple(FIELDS)
