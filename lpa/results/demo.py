"""Demo LPA results: the province's table as the seed prints it (บัญชีแนบท้ายประกาศจังหวัดเชียงราย,
ข้อมูล ณ วันที่ 18/12/2566, the 48 rows the meeting bundle carries), imported for 2566 through the
same import as a file. Organisations of those rows that the demo lacks are created with codes
578xxxx (578 and the printed rank); เทศบาลตำบลแม่สายมิตรภาพ (5570701) is the demo's own."""

import csv
import datetime
from pathlib import Path

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import ORG_VOCABULARY, Organisation, parse_org_type
from lao_integrity.orgs.services import organisation_upsert

from ..models import LpaResult
from .exchange import district_key, name_key
from .services import lpa_import

SEED_FILE = Path(__file__).parent / "demo_data" / "chiang-rai-2566.csv"
FISCAL_YEAR = 2566
DATA_AS_OF = datetime.date(2023, 12, 18)  # 18/12/2566
REPORTER = "นายเจตณรงค์ อินกัน"
REPORTER_POSITION = "ท้องถิ่นจังหวัดเชียงราย"  # the seed prints "ห้องถิ่น", a typo


def seed_rows(path: Path = SEED_FILE) -> list[list[str]]:
    """The data rows of a file laid out as the seed prints it (header rows left out)."""
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return [row for row in rows[1:] if row and row[0].strip().isdigit()]


def ensure_organisations(rows: list[list[str]]) -> list[Organisation]:
    """Each row's organisation: found by province, district and name, or created (code 578 + rank)."""
    out = []
    for row in rows:
        rank, _region, province, district, type_text, printed = row[:6]
        org_type = parse_org_type(type_text)
        found = [o for o in Organisation.objects.filter(province=province, district=district)
                 if name_key(o.name) == name_key(printed) and district_key(o.district) == district_key(district)]
        if found:
            out.append(found[0])
            continue
        vocabulary = ORG_VOCABULARY[org_type]
        name = name_key(printed)
        if not name.startswith(vocabulary["prefix"]):
            name = vocabulary["prefix"] + name.removeprefix(vocabulary["abbr"])
        out.append(organisation_upsert(user=SYSTEM, code=f"578{int(rank):04d}", org_type=org_type, name=name,
                                       district=district, province=province))
    return out


def seed(*, users):
    if LpaResult.objects.filter(fiscal_year=FISCAL_YEAR, organisation__province="เชียงราย").exists():
        return
    ensure_organisations(seed_rows())
    imported = lpa_import(data=SEED_FILE.read_bytes(), filename=SEED_FILE.name, fiscal_year=FISCAL_YEAR,
                          user=SYSTEM, data_as_of=DATA_AS_OF, reporter=REPORTER,
                          reporter_position=REPORTER_POSITION)
    yield f"LPA ปี {FISCAL_YEAR} จังหวัดเชียงราย: {imported.count} อปท. ({len(imported.notes)} หมายเหตุลำดับร่วม)"

