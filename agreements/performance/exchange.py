"""An agreement's indicators as a csv/xlsx file: export, and all-or-nothing import.

Columns: ลำดับ, ด้าน, ประเภทงาน, ตัวชี้วัด, หน่วยนับ, ค่าฐาน, ระดับ 1 ... ระดับ 5, น้ำหนัก. The
direction of an indicator is read from its targets: rising from level 1 to 5 means a larger value
is better, falling means a smaller one is (e.g. days to issue a permit). ด้าน and ประเภทงาน take
the full label, its Thai or English part, the short code, or the number (ด้านที่ 1-6, 1-4).

Import replaces a draft agreement's indicators, through lao_integrity.table_import: every line is
checked first; when any line is bad nothing changes and every bad line is reported ("บรรทัดที่ N: ...").
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError

from lao_integrity import thai
from lao_integrity.table_import import ImportRejected, Row, RowInvalid, RowProblem, TableImport, import_table
from lao_integrity.tabular import format_from_name, write_table

from . import services
from .models import LEVELS, AgreementStatus, Aspect, PerformanceAgreement, WorkType

COL_ORDER = "ลำดับ"
COL_ASPECT = "ด้าน"
COL_WORK_TYPE = "ประเภทงาน"
COL_NAME = "ตัวชี้วัด"
COL_UNIT = "หน่วยนับ"
COL_BASELINE = "ค่าฐาน"
COL_LEVEL = "ระดับ {}"
COL_WEIGHT = "น้ำหนัก"
LEVEL_COLUMNS = [COL_LEVEL.format(level) for level in LEVELS]
HEADERS = [COL_ORDER, COL_ASPECT, COL_WORK_TYPE, COL_NAME, COL_UNIT, COL_BASELINE, *LEVEL_COLUMNS, COL_WEIGHT]

FIELD_LABELS = {
    "order": COL_ORDER, "aspect": COL_ASPECT, "work_type": COL_WORK_TYPE, "name": COL_NAME,
    "unit_of_measure": COL_UNIT, "baseline": COL_BASELINE, "weight": COL_WEIGHT,
    "higher_is_better": "ทิศทางของค่าเป้าหมาย",
    **{f"target_{level}": COL_LEVEL.format(level) for level in LEVELS},
}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", thai.to_arabic_digits(str(text or ""))).lower()


def _aliases(choices, *, number_prefix: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for number, (value, label) in enumerate(choices, start=1):
        names = {value, label, str(number), f"{number_prefix}{number}"}
        match = re.match(r"^(.*?)\s*\((.*)\)\s*$", label)
        if match:
            names.update(match.groups())
        for name in names:
            table[_key(name)] = value
    return table


ASPECT_ALIASES = _aliases(Aspect.choices, number_prefix="ด้านที่")
WORK_TYPE_ALIASES = _aliases(WorkType.choices, number_prefix="ประเภทที่")


def _choice(text: str, aliases: dict[str, str], choices, column: str) -> str:
    key = _key(text)
    if not key:
        raise ValueError(f"กรุณาระบุ{column}")
    if key not in aliases:
        allowed = "; ".join(f"{n}. {label}" for n, label in enumerate(choices.labels, start=1))
        raise ValueError(f"{column} “{text}” ไม่ถูกต้อง (ใช้ได้: {allowed})")
    return aliases[key]


def _number(text: str, column: str, *, required: bool = True) -> Decimal | None:
    text = str(text or "").strip()
    if not text:
        if required:
            raise ValueError(f"กรุณาระบุ{column}")
        return None
    try:
        return thai.parse_amount(text.removesuffix("%").strip())
    except ValueError:
        raise ValueError(f"{column} “{text}” ต้องเป็นตัวเลข") from None


def _order(text: str, position: int) -> int:
    text = thai.to_arabic_digits(str(text or "").strip()).removesuffix(".0")
    if not text:
        return position
    if not text.isdigit() or not text.strip("0"):
        raise ValueError(f"{COL_ORDER} “{text}” ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป")
    if len(text) > 4:  # 5,000 digits made int() answer in English; an agreement has a handful of rows
        raise ValueError(f"{COL_ORDER} “{text[:20]}” ต้องไม่เกิน 9,999")
    return int(text)


class IndicatorImport(TableImport):
    """A row is one indicator; the file's ลำดับ orders them, then they are numbered 1, 2, ..."""

    headers = HEADERS
    empty_message = "ไม่มีรายการตัวชี้วัดในไฟล์"

    def __init__(self, agreement: PerformanceAgreement, user):
        self.agreement, self.user = agreement, user
        self.orders: dict[int, int] = {}  # ลำดับ -> its first line

    def parse(self, row: Row) -> dict:
        fields: dict = {}
        errors: list[str] = []

        def take(name, parse, *args, **kwargs):
            try:
                fields[name] = parse(*args, **kwargs)
            except ValueError as error:
                errors.append(str(error))

        take("order", _order, row[COL_ORDER], row.position)
        take("aspect", _choice, row[COL_ASPECT], ASPECT_ALIASES, Aspect, COL_ASPECT)
        take("work_type", _choice, row[COL_WORK_TYPE], WORK_TYPE_ALIASES, WorkType, COL_WORK_TYPE)
        fields["name"] = str(row[COL_NAME] or "").strip()
        fields["unit_of_measure"] = str(row[COL_UNIT] or "").strip()
        take("baseline", _number, row[COL_BASELINE], COL_BASELINE, required=False)
        for level, column in zip(LEVELS, LEVEL_COLUMNS, strict=True):
            take(f"target_{level}", _number, row[column], f"ค่าเป้าหมาย{column}")
        take("weight", _number, row[COL_WEIGHT], COL_WEIGHT)
        targets = [fields.get(f"target_{level}") for level in LEVELS]
        if all(t is not None for t in targets):
            fields["higher_is_better"] = not targets[0] > targets[-1]
        if "order" in fields:
            first = self.orders.setdefault(fields["order"], row.line)
            if first != row.line:
                errors.append(f"{COL_ORDER} {fields['order']} ซ้ำกับบรรทัดที่ {first}")
        if not errors:
            try:
                services.check_indicator(**fields)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    label = FIELD_LABELS.get(name)
                    errors.extend(f"{label}: {m}" if label and label not in m else m for m in messages)
        if errors:
            raise RowInvalid(errors)
        return fields

    def write(self, rows: list[dict]) -> int:
        rows.sort(key=lambda f: f["order"])
        for position, fields in enumerate(rows, start=1):
            fields["order"] = position
        try:
            created = services.indicators_replace(agreement=self.agreement, rows=rows, user=self.user)
        except ValidationError as error:
            raise ImportRejected([RowProblem(None, m) for m in error.messages]) from None
        return len(created)


def indicators_import(*, agreement: PerformanceAgreement, data: bytes, filename: str, user) -> int:
    """Replace a draft agreement's indicators with the file's; returns how many. All or nothing."""
    format_from_name(filename)
    if agreement.status != AgreementStatus.DRAFT:
        raise ImportRejected([RowProblem(None, "ข้อตกลงนี้ลงนามแล้ว นำเข้าตัวชี้วัดได้เฉพาะข้อตกลงที่ยังเป็นร่าง")])
    return import_table(IndicatorImport(agreement, user), data=data, filename=filename)


def indicators_export(*, agreement: PerformanceAgreement, fmt: str) -> bytes:
    """The indicators in the exchange format, in the order shown on the agreement page."""
    from .selectors import agreement_detail

    rows = []
    for row in agreement_detail(agreement).rows:
        indicator = row.indicator
        rows.append([row.number, indicator.get_aspect_display(), indicator.get_work_type_display(), indicator.name,
                     indicator.unit_of_measure, indicator.baseline, *indicator.targets, indicator.weight])
    return write_table(HEADERS, rows, fmt, title=f"ตัวชี้วัด {agreement.fiscal_year} ครั้งที่ {agreement.round}")
