"""Forms for ITA results in and out: the upload form and the one-organisation score form."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from lao_integrity.concurrency import VersionField
from lao_integrity.uploads import TableUploadForm

from ..models import Framework, Result
from .exchange import PART_HEADERS, PART_TOOL, read_rank, read_score

UPLOAD_EXTENSIONS = {".csv", ".xlsx"}


class ResultImportForm(TableUploadForm):
    file_error_messages = {"required": "กรุณาเลือกไฟล์", "empty": "ไฟล์ว่างเปล่า"}


class _TypedNumberField(forms.CharField):
    """A number typed as text, read by the file import's own reader (so a page and a file agree), or
    None when left blank."""

    inputmode = "decimal"

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": self.inputmode, "size": 8}))
        super().__init__(**kwargs)

    def read(self, text: str):
        raise NotImplementedError

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return self.read(text)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class ScoreField(_TypedNumberField):
    """A score typed as "91.47", "๙๑.๔๗" or "91,47" -> Decimal."""

    def read(self, text: str):
        return read_score(text)

    def prepare_value(self, value):
        return f"{value:.2f}" if isinstance(value, Decimal) else value


class RankField(_TypedNumberField):
    inputmode = "numeric"

    def read(self, text: str):
        return read_rank(text)


class ResultForm(forms.Form):
    """One organisation's indicator scores for a year (plus the rank in its peer group and EIT part scores).

    Fields are built from the year's framework: `score_<number>` per indicator, `part_<code>` per
    EIT part, `rank` and `rank_group`. Blank scores leave the result incomplete (no overall score yet).
    """

    def __init__(self, *args, framework: Framework, result: Result | None = None, default_group: str = "",
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.groups: list[tuple[str, list[str]]] = []
        existing = {s.indicator.number: s.score for s in result.scores.select_related("indicator")} if result else {}
        existing_parts = {p.part.code: p.score for p in result.part_scores.select_related("part")} if result else {}
        part_labels = {code: header for header, code in PART_HEADERS.items()}  # for the order of the parts
        indicators = sorted(framework.indicators.all(), key=lambda i: i.number)
        for tool in sorted(framework.tools.all(), key=lambda t: t.order):
            names = []
            for indicator in indicators:
                if indicator.tool_id != tool.pk:
                    continue
                name = f"score_{indicator.number}"
                self.fields[name] = ScoreField(label=f"ตัวชี้วัดที่ {indicator.number} {indicator.name}",
                                               initial=existing.get(indicator.number))
                names.append(name)
            if tool.code == PART_TOOL:
                for part in sorted(tool.parts.all(), key=lambda p: (part_labels.get(p.code, "~"), p.code)):
                    name = f"part_{part.code}"
                    self.fields[name] = ScoreField(
                        label=f"คะแนน {part.name}", initial=existing_parts.get(part.code),
                        help_text="ไม่บังคับ ใช้แสดงคะแนนรายส่วนตามที่ประกาศ")
                    names.append(name)
            self.groups.append((f"{tool.code} {tool.name}", names))
        self.fields["rank"] = RankField(label="ลำดับ", initial=result.rank if result else None,
                                        help_text="ไม่บังคับ ลำดับตามที่ประกาศ เช่น ลำดับที่ 1,175 ของหน่วยงานประเภท เทศบาลตำบล")
        self.fields["rank_group"] = forms.CharField(
            label="ประเภทหน่วยงานที่จัดลำดับ", required=False, max_length=100,
            initial=result.rank_group if result else "",
            widget=forms.TextInput(attrs={"placeholder": default_group}),
            help_text=f"ว่างไว้ได้: ใช้ประเภทของ อปท. ({default_group})" if default_group else "",
            error_messages={"max_length": "ประเภทหน่วยงานที่จัดลำดับยาวเกิน 100 ตัวอักษร"})
        # Of the result as loaded; 0 when there was none yet.
        self.fields["version"] = VersionField(initial=result.version if result else 0)

    def field_groups(self):
        """[(tool heading, [bound fields])] for the template."""
        return [(heading, [self[name] for name in names]) for heading, names in self.groups]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.scores():
            raise ValidationError("กรุณากรอกคะแนนอย่างน้อยหนึ่งตัวชี้วัด")
        if "rank" not in self.errors and cleaned.get("rank") is None and (cleaned.get("rank_group") or "").strip():
            self.add_error("rank", "ระบุประเภทหน่วยงานที่จัดลำดับแต่ไม่ได้ระบุลำดับ กรุณากรอกลำดับ "
                                   "หรือเว้นประเภทหน่วยงานที่จัดลำดับว่าง")
        return cleaned

    def scores(self) -> dict[int, Decimal]:
        return {int(name.removeprefix("score_")): value for name, value in self.cleaned_data.items()
                if name.startswith("score_") and value is not None}

    def expected_version(self) -> int:
        return self.cleaned_data["version"]

    def part_scores(self) -> dict[str, Decimal]:
        return {name.removeprefix("part_"): value for name, value in self.cleaned_data.items()
                if name.startswith("part_") and value is not None}
