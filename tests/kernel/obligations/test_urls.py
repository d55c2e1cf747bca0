"""The providers' addresses (items.url_maker, reversing.reversed_once) are what reverse() gives, under
any script prefix, though reversed once per name and arguments."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from lao_integrity.obligations.items import url_maker
from lao_integrity.reversing import reversed_once


def test_reversed_once_is_reverse_under_any_script_prefix():
    for prefix in ("/", "/portal/", "/other/", "/"):
        try:
            set_script_prefix(prefix)
            assert reversed_once("plans:list") == reverse("plans:list")
            assert reversed_once("plans:detail", 42) == reverse("plans:detail", args=[42])
            assert reversed_once("ita:measure_progress", 7, 3) == reverse("ita:measure_progress", args=[7, 3])
            assert url_maker("plans:progress")(1234) == reverse("plans:progress", args=[1234])
            assert reversed_once("plans:list").startswith(prefix)
        finally:
            clear_script_prefix()
            set_script_prefix("/")
