"""The guidance text per indicator shown in the ITA analysis report."""

from django import forms

from lao_integrity.concurrency import VersionField

from ..models import Result

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
