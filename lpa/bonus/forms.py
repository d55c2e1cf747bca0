"""The entry form of part 1 (four dimensions, each out of its full marks) for one municipality
and year; the ranges are the service's to check, so a page and any other caller agree."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from lao_integrity.concurrency import VersionField
from lao_integrity.thai import to_arabic_digits

from ..models import BONUS_DIMENSIONS, BonusScore


class DimensionField(forms.CharField):
    """A score typed as "28.00", "๒๘" or "24,65" -> Decimal."""

    def __init__(self, *, label: str, full: Decimal, **kwargs):
        super().__init__(label=f"{label} (เต็ม {full:.0f} คะแนน)", max_length=12,
                         error_messages={"required": f"กรุณากรอกคะแนน{label}"},
                         widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}), **kwargs)
        self.dimension = label

    def clean(self, value):
        text = to_arabic_digits(super().clean(value) or "").strip().replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"{self.dimension} ต้องเป็นตัวเลข") from None

    def prepare_value(self, value):
        return f"{value:.2f}" if isinstance(value, Decimal) else value


class BonusScoreForm(forms.Form):
    remark = forms.CharField(label="หมายเหตุ", max_length=300, required=False)
    version = VersionField()

    def __init__(self, *args, score: BonusScore | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {name: DimensionField(label=label, full=full) for name, label, full in BONUS_DIMENSIONS}
        self.fields = {**fields, "remark": self.fields["remark"], "version": self.fields["version"]}
        if score is not None:
            for name, _label, _full in BONUS_DIMENSIONS:
                self.initial[name] = getattr(score, name)
            self.initial["remark"] = score.remark
        self.initial["version"] = score.version if score is not None else 0

    @property
    def dimension_fields(self):
        return [self[name] for name, _l, _f in BONUS_DIMENSIONS]

    def scores(self) -> dict[str, Decimal]:
        return {name: self.cleaned_data[name] for name, _l, _f in BONUS_DIMENSIONS}
