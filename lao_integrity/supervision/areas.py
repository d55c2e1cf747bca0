"""The areas a supervisor reads: the nation ("th"), a province ("p-เชียงราย") or a district of it
("d-เชียงราย-แม่สาย"), as stable URL parts. Who may read which is decided by
lao_integrity.orgs.access.supervises; this module only names areas and finds their organisations."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation

from .registry import AreaStatement

NATION = "th"
LEADING_VOWELS = "เแโใไ"


@functools.lru_cache(maxsize=8192)  # the same districts and names on every page, letter by letter
def thai_key(text: str) -> str:
    """Sort Thai as a dictionary does: a leading vowel (เ แ โ ใ ไ) counts after its consonant,
    so ใต้ comes before เหนือ (ต before ห), not after every word without one."""
    chars = list(text)
    for index in range(len(chars) - 1):
        if chars[index] in LEADING_VOWELS:
            chars[index], chars[index + 1] = chars[index + 1], chars[index]
    return "".join(chars)


@dataclass(frozen=True)
class Area:
    province: str | None = None
    district: str | None = None

    @property
    def slug(self) -> str:
        if self.province is None:
            return NATION
        if self.district is None:
            return f"p-{self.province}"
        return f"d-{self.province}-{self.district}"

    @property
    def kind(self) -> str:
        return "nation" if self.province is None else "province" if self.district is None else "district"

    @property
    def label(self) -> str:
        if self.province is None:
            return "ทั้งประเทศ"
        if self.district is None:
            return f"จังหวัด{self.province}"
        return f"อำเภอ{self.district} จังหวัด{self.province}"

    @property
    def parent(self) -> Area | None:
        if self.province is None:
            return None
        return Area(self.province) if self.district is not None else Area()

    def district_area(self, district: str) -> Area:
        return Area(self.province, district)

    def queryset(self) -> QuerySet[Organisation]:
        found = Organisation.objects.all()
        if self.province is not None:
            found = found.filter(province=self.province)
        if self.district is not None:
            found = found.filter(district=self.district)
        return found


def parse(slug: str) -> Area:
    """The area of a URL part; a malformed one is a 404 (Thai names hold no "-": the first one
    after the province ends it)."""
    if slug == NATION:
        return Area()
    kind, _, rest = slug.partition("-")
    if kind == "p" and rest:
        return Area(rest)
    if kind == "d" and "-" in rest:
        province, _, district = rest.partition("-")
        if province and district:
            return Area(province, district)
    raise Http404("ไม่พบพื้นที่นี้")


def require_supervisor(user) -> None:
    if not access.is_supervisor(user):
        raise PermissionDenied("หน้านี้สำหรับผู้กำกับดูแลที่ผู้ดูแลระบบกำหนดขอบเขตให้ (ท้องถิ่นอำเภอ จังหวัด หรือส่วนกลาง)")


def area_for(user, slug: str) -> Area:
    """The area of `slug` if `user` may read it: not a supervisor, 403; an area outside their
    scope, or with no organisation at all, 404 (not even confirmed to exist)."""
    require_supervisor(user)
    area = parse(slug)
    if not access.supervises(user, area.province, area.district):
        raise Http404("ไม่พบพื้นที่นี้")
    return area


def parent_for(user, area: Area) -> Area | None:
    """The area above `area` when `user` may open it (a district supervisor has no province link)."""
    parent = area.parent
    if parent is None or not access.supervises(user, parent.province, parent.district):
        return None
    return parent


class Row:
    """An organisation as the dashboards read it (what the providers and the lists read of it):
    a tuple's fields, not a model instance, of which a province makes a hundred per page."""

    __slots__ = ("pk", "code", "name", "org_type", "province", "district")

    def __init__(self, pk, code, name, org_type, province, district):
        self.pk, self.code, self.name, self.org_type, self.province, self.district = (
            pk, code, name, org_type, province, district)

    @property
    def id(self) -> int:
        return self.pk


def organisations_of(area: Area) -> list[Row]:
    """The area's organisations, by district then name: one query (compiled once: _ORGANISATIONS)."""
    return [Row(*values) for values in _ORGANISATIONS.rows(area)]


_ORGANISATIONS = AreaStatement(lambda: Organisation.objects.order_by("district", "name", "code").values_list(
    "pk", "code", "name", "org_type", "province", "district"), via="")


def choices(user) -> dict:
    """The areas `user` may open: the nation, provinces (their districts are reached from the
    province's page) and districts. One query for a national reader (the provinces)."""
    if not access.is_supervisor(user):
        return {"nation": None, "provinces": [], "districts": []}
    if access.sees_every_organisation(user):
        provinces = list(Organisation.objects.order_by("province").values_list("province", flat=True).distinct())
        return {"nation": Area(), "provinces": [Area(p) for p in provinces], "districts": []}
    held = access.grants(user)
    return {"nation": None, "provinces": [Area(p) for p in sorted(held.provinces)],
            "districts": [Area(p, d) for p, d in sorted(held.districts)]}
