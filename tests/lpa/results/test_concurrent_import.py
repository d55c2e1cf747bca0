"""Two administrators import the same province's table at the same moment: both succeed, one after
the other, and each organisation keeps one result (no duplicate-key error, no 500)."""

from django.contrib.auth import get_user_model

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import OrgType
from lao_integrity.orgs.services import organisation_upsert
from lao_integrity.tabular import write_table
from lpa.models import LpaAreaScore, LpaResult
from lpa.results import layout
from lpa.results.services import lpa_import
from tests.project.test_next_numbers import at_once, no_errors
from tests.project.test_next_numbers import pytestmark as concurrent_marks

pytestmark = concurrent_marks

AREAS = [(60, 56, "93.33"), (45, 45, "100.00"), (95, 91, "95.79"), (220, 210, "95.45"), (25, 25, "100.00"),
         (445, 427, "95.96")]


def table(organisations) -> bytes:
    rows = []
    for rank, organisation in enumerate(organisations, start=1):
        row = [str(rank), "ภาคเหนือ", organisation.province, organisation.district,
               organisation.get_org_type_display(), organisation.name, organisation.code]
        for full, got, pct in AREAS:
            row += [str(full), str(got), pct]
        rows.append(row)
    return write_table(layout.ONE_ROW_HEADER, rows, "csv")


def test_the_same_table_imported_twice_at_once(db):
    organisations = [organisation_upsert(user=SYSTEM, code=f"95{n:05d}", org_type=OrgType.SUBDISTRICT_MUNI,
                                         name=f"เทศบาลตำบลพร้อมกัน {n}", district="เมืองเชียงราย",
                                         province="เชียงราย") for n in range(3)]
    admin = get_user_model().objects.create_superuser("t_lpa_at_once", password="t-lpa-pw-2569")
    data = table(organisations)
    results, errors = at_once(lambda i: lpa_import(data=data, filename="lpa.csv", fiscal_year=2566, user=admin),
                              n=4)
    no_errors(errors)
    assert LpaResult.objects.filter(organisation__in=organisations, fiscal_year=2566).count() == 3
    assert LpaAreaScore.objects.filter(result__organisation__in=organisations).count() == 15
    # One created them, the other replaced them.
    assert sorted(result.created for result in results) == [0, 0, 0, 3]
