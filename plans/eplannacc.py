"""What NACC's e-PlanNACC system asks at 6 and 12 months, computed from the recorded progress.

The implementation percentage (ร้อยละการดำเนินการ): projects carried out (ดำเนินการแล้วเสร็จ or
อยู่ระหว่างดำเนินการ) over the projects due in the round. Every project is due at 12 months; at 6
months a project planned only for quarters 3-4 with nothing done is not due yet (selectors.NOT_DUE)
and is left out of both counts. A project "ไม่สามารถดำเนินการได้" or "ยังไม่ดำเนินการ" is due and not
carried out. The bands are e-PlanNACC's supervisor colours (6 months: >= 50 / 20-49 / < 20 %;
12 months: >= 80 / 50-79 / < 50 %), always shown with a word as well as a colour.

The report file (`REPORT_COLUMNS`) has one row per project in the order e-PlanNACC's form asks:
the project, its status, the reason when it could not be carried out, the budget in the ordinance
and the amount disbursed in the round.
"""

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import ProgressStatus

CARRIED_OUT = (ProgressStatus.DONE, ProgressStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Band:
    key: str  # the CSS class: good / fair / behind
    label: str  # the word shown beside the colour


GOOD, FAIR, BEHIND = Band("good", "ดี"), Band("fair", "ปานกลาง"), Band("behind", "ต้องเร่ง")
# months -> (lowest percentage of GOOD, lowest of FAIR)
THRESHOLDS = {6: (Decimal(50), Decimal(20)), 12: (Decimal(80), Decimal(50))}


def band_for(percent: Decimal, months: int) -> Band:
    good, fair = THRESHOLDS[months]
    if percent >= good:
        return GOOD
    return FAIR if percent >= fair else BEHIND


@functools.lru_cache(maxsize=4096)  # a dashboard asks it of every organisation, mostly the same few counts
def band_of(carried_out: int, due: int, months: int) -> Band | None:
    """The band of `carried_out` projects of `due` (None when nothing is due): an Implementation's."""
    return band_for(Decimal(carried_out * 100) / Decimal(due), months) if due else None


def bands_text(months: int) -> str:
    good, fair = THRESHOLDS[months]
    return (f"เกณฑ์รอบ {months} เดือน: {GOOD.label} ร้อยละ {good} ขึ้นไป · {FAIR.label} ร้อยละ {fair}–{good - 1} · "
            f"{BEHIND.label} ต่ำกว่าร้อยละ {fair}")


DEFINITION = ("ร้อยละการดำเนินการ = โครงการที่ดำเนินการแล้วเสร็จหรืออยู่ระหว่างดำเนินการ "
              "÷ โครงการที่ถึงกำหนดในรอบ × 100")


@dataclass(frozen=True)
class Implementation:
    months: int
    due: int  # projects due in the round
    carried_out: int  # of them, done or in progress
    done: int  # of them, done

    @property
    def percent(self) -> Decimal | None:
        """Unrounded (the band is decided on it); None when nothing is due."""
        return Decimal(self.carried_out * 100) / Decimal(self.due) if self.due else None

    @property
    def percent_text(self) -> str:
        percent = self.percent
        return "-" if percent is None else f"{percent.quantize(Decimal('0.01'), ROUND_HALF_UP)}"

    @property
    def band(self) -> Band | None:
        return band_of(self.carried_out, self.due, self.months)

    @property
    def bands_text(self) -> str:
        return bands_text(self.months)

    @property
    def definition(self) -> str:
        return DEFINITION


def implementation(statuses: list[str], *, months: int, not_due: str) -> Implementation:
    """From each project's status at the end of the round (selectors.period_status)."""
    due = [s for s in statuses if s != not_due]
    return Implementation(months=months, due=len(due), carried_out=sum(s in CARRIED_OUT for s in due),
                          done=sum(s == ProgressStatus.DONE for s in due))


def ordinance_label(plan) -> str:
    return f"งบประมาณตาม{plan.organisation.ordinance_term} (บาท)"


def report_columns(plan) -> list[str]:
    return ["ลำดับ", "รายการโครงการ", "มิติ", "สถานะการดำเนินการ", "เหตุผลที่ไม่สามารถดำเนินการได้",
            ordinance_label(plan), "เบิกจ่าย (บาท)", "ผลการดำเนินงาน"]


def report_rows(summary, *, not_due: str) -> list[list]:
    """One row per project of a progress summary (selectors.progress_summary). e-PlanNACC has no
    "ยังไม่ถึงกำหนด": a project not due yet is reported as ยังไม่ดำเนินการ."""
    labels = dict(ProgressStatus.choices)
    rows = []
    for project in summary.projects:
        status = ProgressStatus.NOT_STARTED if project.period_status == not_due else project.period_status
        rows.append([project.sequence, project.name, project.dimension_label, labels[status],
                     project.period_reason, project.period_ordinance_budget, project.period_spent,
                     " ".join(f"ไตรมาส {q}: {r.result}" for q, r in project.period_cells if r and r.result)])
    return rows
