"""Building years of results and reading the auditor pages' rows, codes and downloads."""

import csv
import io
import re
from decimal import Decimal

from ita.models import Framework
from ita.results import services
from lao_integrity.orgs.access import SYSTEM
from tests.support.pages import strip_tags

# --- building data -------------------------------------------------------------------------


def uniform(value: str) -> dict[int, Decimal]:
    """All ten indicators at one score: IIT = EIT = OIT = overall = value."""
    return dict.fromkeys(range(1, 11), Decimal(value))


class Years:
    """Framework and scoring spec per year, looked up once: building 120 results stays quick."""

    def __init__(self):
        self.cache = {}

    def save(self, organisation, fiscal_year, scores, **kwargs):
        if fiscal_year not in self.cache:
            framework = Framework.objects.get(fiscal_year=fiscal_year)
            self.cache[fiscal_year] = (framework, services.framework_spec(framework))
        framework, spec = self.cache[fiscal_year]
        return services.result_save(organisation=organisation, fiscal_year=fiscal_year, scores=scores,
                                    framework=framework, spec=spec, **{"user": SYSTEM, **kwargs})


# --- reading pages -------------------------------------------------------------------------


def list_rows(html: str) -> list[list[str]]:
    """Cells of each result row of the list, as text."""
    body = re.search(r'<table[^>]*id="results"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r'<tr id="r\d+"[^>]*>(.*?)</tr>', body, re.S)
    return [[strip_tags(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def codes(html: str) -> list[str]:
    return [row[1] for row in list_rows(html)]


# --- the download --------------------------------------------------------------------------


def csv_codes(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    column = rows[0].index("รหัส อปท.")
    return [row[column] for row in rows[1:] if row]
