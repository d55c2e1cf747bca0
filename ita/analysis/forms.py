"""The guidance text per indicator shown in the ITA analysis report."""

import re

from django import forms

from lao_integrity.concurrency import VersionField
from lao_integrity.fields import ThaiIntegerField

from ..models import Recommendation, Result

MAX_GUIDANCE = 3000


class GuidanceForm(forms.Form):
    """One text box per scored indicator, named guidance_<indicator number>."""

    def __init__(self, *args, result: Result, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(result.scores.all())
        for row in self.rows:
            self.fields[f"guidance_{row.indicator.number}"] = forms.CharField(
                label=f"ตัวชี้วัดที่ {row.indicator.number} {row.indicator.name} ({row.score} คะแนน)",
                required=False, initial=row.guidance or row.indicator.advice, max_length=MAX_GUIDANCE,
                help_text="ข้อความมาตรฐานของกรอบการประเมิน แก้ไขให้ตรงกับหน่วยงานได้" if row.indicator.advice else "",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": f"แนวทางยาวเกิน {MAX_GUIDANCE:,} ตัวอักษร"})
        self.fields["version"] = VersionField(initial=result.version)  # of the result as loaded

    def guidance(self) -> dict[int, str]:
        return {row.indicator.number: self.cleaned_data[f"guidance_{row.indicator.number}"] for row in self.rows}


MAX_ADVICE = 5000
BLANK_ROWS = 3  # new recommendations a save can add


class RecommendationsForm(forms.Form):
    """The assessor's recommendations of a result, one row each (row_<n>_*): tool, question code,
    issue, advice and the OIT items it cites; the stored ones first, then BLANK_ROWS empty rows.
    A row whose advice is emptied is deleted; one left blank is ignored. The service validates
    codes and items; `version` is the result's as loaded."""

    def __init__(self, *args, result: Result, **kwargs):
        super().__init__(*args, **kwargs)
        self.tools = sorted(result.framework.tools.all(), key=lambda t: t.order)
        stored = sorted(result.recommendations.all(), key=lambda r: r.sort_key)
        self.row_count = len(stored) + BLANK_ROWS
        choices = [(t.code, f"{t.code} {t.name}") for t in self.tools]
        for n in range(self.row_count):
            rec: Recommendation | None = stored[n] if n < len(stored) else None
            self.fields[f"row_{n}_id"] = ThaiIntegerField(required=False, widget=forms.HiddenInput,
                                                           initial=rec.pk if rec else None)
            self.fields[f"row_{n}_tool"] = forms.ChoiceField(
                label="เครื่องมือ", choices=choices, initial=rec.tool.code if rec else choices[0][0], required=False,
                error_messages={"invalid_choice": "กรุณาเลือกเครื่องมือจากรายการ"})
            self.fields[f"row_{n}_code"] = forms.CharField(
                label="ข้อคำถาม", required=False, max_length=40, initial=rec.code if rec else "",
                help_text="เช่น I17 หรือ E9; สองข้อเป็น I19/I24; ว่างไว้สำหรับข้อเสนอแนะทั่วไป",
                error_messages={"max_length": "ข้อคำถามยาวเกิน 40 ตัวอักษร"})
            self.fields[f"row_{n}_issue"] = forms.CharField(
                label="ประเด็น", required=False, max_length=MAX_ADVICE, initial=rec.issue if rec else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": f"ประเด็นยาวเกิน {MAX_ADVICE:,} ตัวอักษร"})
            self.fields[f"row_{n}_advice"] = forms.CharField(
                label="ข้อเสนอแนะ", required=False, max_length=MAX_ADVICE, initial=rec.advice if rec else "",
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text="ลบข้อความออกทั้งหมดเพื่อลบข้อเสนอแนะนี้" if rec else "",
                error_messages={"max_length": f"ข้อเสนอแนะยาวเกิน {MAX_ADVICE:,} ตัวอักษร"})
            self.fields[f"row_{n}_items"] = forms.CharField(
                label="ข้อ OIT ที่อ้างอิง", required=False, max_length=300,
                initial=", ".join(i.code for i in sorted(rec.items.all(), key=lambda i: i.number)) if rec else "",
                help_text="เช่น O11, O12 ว่างไว้: อ่านจาก “(อ้างอิงจาก O11)” ในข้อเสนอแนะ",
                error_messages={"max_length": "ข้อ OIT ที่อ้างอิงยาวเกิน 300 ตัวอักษร"})
        self.fields["version"] = VersionField(initial=result.version)  # of the result as loaded

    def rows(self):
        """[(number, [bound fields])] for the template, the hidden id first."""
        names = ("id", "tool", "code", "issue", "advice", "items")
        return [(n + 1, [self[f"row_{n}_{name}"] for name in names]) for n in range(self.row_count)]

    def by_tool(self) -> dict[str, list[dict]]:
        """The rows with advice, by tool code in the framework's order, for recommendations_replace."""
        out: dict[str, list[dict]] = {t.code: [] for t in self.tools}
        for n in range(self.row_count):
            advice = (self.cleaned_data.get(f"row_{n}_advice") or "").strip()
            if not advice:
                continue
            items = self.cleaned_data.get(f"row_{n}_items") or ""
            out[self.cleaned_data.get(f"row_{n}_tool") or self.tools[0].code].append({
                "id": self.cleaned_data.get(f"row_{n}_id"), "code": self.cleaned_data.get(f"row_{n}_code") or "",
                "issue": self.cleaned_data.get(f"row_{n}_issue") or "", "advice": advice,
                "items": [code for code in re.split(r"[,\s]+", items) if code] if items.strip() else None})
        return out
