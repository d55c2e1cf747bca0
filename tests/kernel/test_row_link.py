"""row_link builds the URLs reverse() builds (the list pages use it for every row's links)."""

import pytest
from django.urls import reverse

from lao_integrity.reversing import row_link


@pytest.mark.parametrize("name, argument", [
    ("ita:history", "5205401"), ("ita:history", "ab c?#%ก"), ("ita:result", 12345), ("lpa:history", "9000001"),
    ("agreements:detail", 7851),
])
def test_row_link_is_reverse(name, argument):
    assert row_link(name)(argument) == reverse(name, args=[argument])


def test_row_link_refuses_a_url_not_ending_with_its_argument():
    with pytest.raises(ValueError):
        row_link("ita:analysis_pdf")
