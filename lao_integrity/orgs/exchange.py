"""The organisation registry as a file: รหัส,ประเภท,ชื่อ,อำเภอ,จังหวัด (csv or xlsx), its columns and
how a row becomes an organisation (lao_integrity.table_import runs the import)."""

from django.core.exceptions import ValidationError

from lao_integrity import thai
from lao_integrity.table_import import Row, RowInvalid, TableImport, field_messages

from .models import ORG_VOCABULARY, Organisation, OrgType, parse_org_type

HEADERS = ["รหัส", "ประเภท", "ชื่อ", "อำเภอ", "จังหวัด"]
FIELDS = ["code", "org_type", "name", "district", "province"]
FIELD_LABELS = dict(zip(FIELDS, HEADERS, strict=True))


def read_code(value) -> str:
    text = thai.to_arabic_digits(str(value if value is not None else "").strip())
    if text.endswith(".0"):
        text = text[:-2]
    # Excel drops leading zeros from numeric cells.
    if text.isdigit() and len(text) < 7:
        text = text.zfill(7)
    return text


def read_text(value) -> str:
    return str(value if value is not None else "").strip()


READERS = {"code": read_code, "org_type": lambda value: parse_org_type(str(value or "")), "name": read_text,
           "district": read_text, "province": read_text}


def with_prefix(name: str, org_type: str) -> str:
    """"บ้านแหง" with type อบต. means องค์การบริหารส่วนตำบลบ้านแหง."""
    prefix = ORG_VOCABULARY[OrgType(org_type)]["prefix"]
    if name.startswith(prefix) or any(name.startswith(v["prefix"]) for v in ORG_VOCABULARY.values()):
        return name
    return prefix + name


class OrganisationImport(TableImport):
    """Creates or updates organisations by code; a code given twice is a problem."""

    headers = HEADERS

    def __init__(self):
        self.lines: dict[str, int] = {}  # code as typed -> its first line
        self.parsed: dict[str, Organisation] = {}  # code -> the organisation an earlier row gave

    def parse(self, row: Row) -> Organisation:
        messages = []
        typed = str(row[HEADERS[0]]).strip()
        if typed in self.lines:
            messages.append(f"รหัส {typed} ซ้ำกับบรรทัดที่ {self.lines[typed]}")
        self.lines.setdefault(typed, row.line)
        code = read_code(row[HEADERS[0]])
        organisation = (self.parsed.get(code) or Organisation.objects.filter(code=code).first()
                        or Organisation(code=code))
        errors: dict[str, list[str]] = {}
        for attribute, column in zip(FIELDS, HEADERS, strict=True):
            try:
                setattr(organisation, attribute, READERS[attribute](row[column]))
            except ValueError as error:
                errors[attribute] = [str(error)]
        if not errors and organisation.org_type and organisation.name:
            organisation.name = with_prefix(organisation.name, organisation.org_type)
        try:
            organisation.full_clean(exclude=list(errors))
        except ValidationError as error:
            for name, texts in error.message_dict.items():
                errors.setdefault(name, []).extend(texts)
        messages.extend(field_messages(errors, FIELD_LABELS))
        if messages:
            raise RowInvalid(messages)
        self.parsed[code] = organisation
        return organisation

    def write(self, organisations: list[Organisation]) -> int:
        for organisation in organisations:
            organisation.save()
        return len(organisations)
