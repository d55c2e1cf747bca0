"""The agreement page's links come from lao_integrity.reversing.url_pattern (reverse once per kind):
each must be what `reverse` gives for the same arguments."""

import pytest
from django.urls import reverse

from lao_integrity.reversing import url_pattern


@pytest.mark.parametrize(("name", "args", "values"), [
    ("agreements:list", (), ()),
    ("agreements:detail", (None,), (7,)),
    ("agreements:indicator_export", (None, "xlsx"), (123,)),
    ("agreements:evidence", (None, None), (4567, 2)),
    ("agreements:progress", (None, None), (1, 4)),
    ("plans:detail", (None,), (98765,)),
])
def test_url_pattern_is_what_reverse_gives(name, args, values):
    slots = iter(values)
    expected = reverse(name, args=[next(slots) if arg is None else arg for arg in args])
    assert url_pattern(name, *args).format(*values) == expected
    assert url_pattern(name, *args).format(*values) == expected  # from the kept pattern too
