import re

from django import forms
from django.core.exceptions import ValidationError

from lao_integrity import thai
from lao_integrity.concurrency import VersionField
from lao_integrity.uploads import ImageFileField

from .models import Organisation

# A user who may act for more organisations than this types the organisation's code instead of
# choosing it from a list: a national administrator has 7,850, far too many for a <select>.
SELECT_LIMIT = 50
CODE_HELP = "พิมพ์รหัส อปท. 7 หลัก เช่น 5205401"


def many(organisations) -> bool:
    """More than SELECT_LIMIT? Counts no further than that (a national list has 7,850)."""
    return organisations[:SELECT_LIMIT + 1].count() > SELECT_LIMIT


# What a choice of OrganisationField shows: its key, and its name and code (Organisation.__str__).
_CHOICE_FIELDS = ("id", "code", "name")


class OrganisationField(forms.ModelChoiceField):
    """The organisation a new record is for, among `queryset` (the organisations the user may act for).

    Up to SELECT_LIMIT organisations it is a select; past that, a text input for the 7-digit code
    (Thai digits accepted), checked with a Thai message: not found, or not one of the user's
    (`denied`, followed by the organisation's name and code).
    """

    def __init__(self, queryset=None, *, denied: str = "ท่านไม่มีสิทธิ์จัดทำเอกสารของ", **kwargs):
        kwargs.setdefault("label", "อปท.")
        kwargs.setdefault("empty_label", None)
        self.denied = denied
        self.by_code = self.any_organisation = False
        super().__init__(queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        # Up to SELECT_LIMIT + 1 organisations, read once: whether there are too many for a select,
        # else the select's options, kept (the widget would read the queryset once to render and
        # once more for its `required` attribute: issue 19).
        # Read as values, made instances of what a choice shows (its key, code and name) only when they
        # are few enough for a select: a national administrator's 51 organisations as models cost
        # half the create form (issue 19).
        rows = None if queryset is None else list(queryset.values_list(*_CHOICE_FIELDS)[:SELECT_LIMIT + 1])
        self.by_code = rows is not None and len(rows) > SELECT_LIMIT
        self.any_organisation = bool(rows)  # a page's "may create" without asking again
        if rows is not None and not self.by_code:
            iterator = self.iterator(self)
            self.widget.choices = ([("", self.empty_label)] if self.empty_label is not None else []) + [
                iterator.choice(queryset.model.from_db(queryset.db, _CHOICE_FIELDS, row)) for row in rows]
        if self.by_code:
            self.widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 7, "size": 9,
                                                 "autocomplete": "off", "class": "code-input"})
            self.help_text = self.help_text or CODE_HELP

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def prepare_value(self, value):
        if not self.by_code:
            return super().prepare_value(value)
        if isinstance(value, Organisation):
            return value.code
        if isinstance(value, int):
            return Organisation.objects.filter(pk=value).values_list("code", flat=True).first() or ""
        return value

    def to_python(self, value):
        if not self.by_code:
            return super().to_python(value)
        code = thai.to_arabic_digits(value or "").strip()
        if code in self.empty_values:
            return None
        if not re.fullmatch(r"\d{7}", code):
            raise ValidationError("รหัส อปท. ต้องเป็นตัวเลข 7 หลัก เช่น 5205401", code="invalid")
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise ValidationError(f"ไม่พบ อปท. รหัส {code}", code="not_found")
        if not self.queryset.filter(pk=organisation.pk).exists():
            raise ValidationError(f"{self.denied} {organisation.name} (รหัส {code})", code="invalid_choice")
        return organisation

    def has_changed(self, initial, data):
        if not self.by_code:
            return super().has_changed(initial, data)
        return str(self.prepare_value(initial) or "") != str(data or "")


class OrganisationProfileForm(forms.Form):
    phone = forms.CharField(label="โทรศัพท์สำนักงาน", max_length=100, required=False,
                            help_text="พิมพ์บนโปสเตอร์ No Gift Policy เช่น 053-734083")
    emblem = ImageFileField(label="ตราสัญลักษณ์ (ครุฑ)",
                            help_text="PNG หรือ JPEG ไม่เกิน 2 MB พิมพ์สูง 3 ซม. กึ่งกลางหน้าแรกของประกาศ")
    remove_emblem = forms.BooleanField(label="ลบตราสัญลักษณ์", required=False)
    version = VersionField()  # of the organisation as loaded


class SignatureForm(forms.Form):
    image = ImageFileField(label="ลายมือชื่อ (สแกน)", help_text="PNG พื้นโปร่งใสหรือ JPEG พื้นขาว ไม่เกิน 2 MB")
    remove = forms.BooleanField(label="ลบลายมือชื่อ", required=False)
    version = VersionField()  # of the person as loaded
