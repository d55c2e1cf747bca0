"""The seed's LPA table (tests/lpa/results/files/seed-2566.csv and .xlsx, made from the meeting
bundle's text as printed: the 48 rows 1-17 and 114-144, the later pages' repeated headers and
trailing empty cells) and the organisations of its rows."""

from pathlib import Path

import pytest

from lao_integrity.orgs.access import SYSTEM
from lpa.models import LpaResult
from lpa.results import demo
from lpa.results.services import lpa_import

FILES = Path(__file__).parent / "files"
SEED_CSV = FILES / "seed-2566.csv"
SEED_XLSX = FILES / "seed-2566.xlsx"
PROVINCE = "เชียงราย"


@pytest.fixture
def seed_rows() -> list[list[str]]:
    return demo.seed_rows(SEED_CSV)


@pytest.fixture
def seed_orgs(db, seed_rows):
    """The seed's organisations (the demo's, when the demo is loaded); no other 2566 result in the
    province, so ranks are among the imported rows whatever else the session loaded."""
    LpaResult.objects.filter(fiscal_year=2566, organisation__province=PROVINCE).delete()
    return demo.ensure_organisations(seed_rows)


def run_import(path: Path = SEED_CSV, *, data: bytes | None = None, fiscal_year: int = 2566, **options):
    return lpa_import(data=path.read_bytes() if data is None else data, filename=path.name,
                      fiscal_year=fiscal_year, user=SYSTEM, **options)
