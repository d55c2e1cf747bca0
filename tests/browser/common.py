"""What every browser test module starts with: Playwright's `expect` (the importing module is skipped
where the package is missing, except on CI, where that is an error) and the browser tests' marks."""

import os

import pytest

try:
    from playwright.sync_api import expect
except ImportError:
    if os.environ.get("CI", "").strip().lower() == "true":
        raise
    pytest.skip("the playwright package is not installed (pip install -e '.[dev]')", allow_module_level=True)

__all__ = ["BAN_HAENG", "BROWSER", "expect"]

BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
BAN_HAENG = "องค์การบริหารส่วนตำบลบ้านแหง"
