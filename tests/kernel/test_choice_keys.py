"""A choice of records by key never sends a key outside the column's range to the database.

Django checks the range for `=` lookups but not for `IN`: a multiple choice posted with
9223372036854775808 raised OverflowError on SQLite (out of range on PostgreSQL), a 500 that the
forms fuzz found on the measure form. `KeysChoiceField` refuses it as an unknown choice."""

import pathlib

import pytest
from django.conf import settings

from lao_integrity.fields import KeysChoiceField
from lao_integrity.orgs.models import Organisation

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "99999999999999999999999"])
def test_a_key_out_of_range_is_an_unknown_choice(org, value):
    field = KeysChoiceField(queryset=Organisation.objects.all())
    with pytest.raises(Exception) as caught:
        field.clean([str(org.pk), value])
    assert caught.value.__class__.__name__ == "ValidationError"
    assert field.clean([str(org.pk)]).get() == org


def test_the_measure_form_answers_a_huge_key_with_a_message(seeded, client_for):
    client = client_for(seeded.staff)
    url = "/ita/measures/5205401/2567/add/"
    response = client.post(url, {"title": "มาตรการทดสอบ", "indicators": [HUGE], "oit_items": [HUGE],
                                 "cadence": "quarterly"})
    assert response.status_code == 200
    assert "ไม่ถูกต้อง" in response.content.decode() or "ไม่มีอยู่" in response.content.decode()


def test_every_multiple_choice_of_records_is_a_keys_choice():
    """A new ModelMultipleChoiceField would bring the 500 back: the project uses the kernel's."""
    root = pathlib.Path(settings.BASE_DIR)
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if ".venv" not in path.parts and "tests" not in path.parts
                 and path.name != "fields.py" and "ModelMultipleChoiceField" in path.read_text()]
    assert offenders == []
