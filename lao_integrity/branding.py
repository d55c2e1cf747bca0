"""The product's name, in Thai, kept here once: the page frame, the titles, the login page, the admin
and the 500 page all read it from here (the Python package keeps its name, lao_integrity)."""

SHORT_NAME = "ระบบคุณธรรม อปท."
FULL_NAME = "ระบบวางแผนและติดตามงานคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่น"


def names() -> dict:
    return {"product_name": SHORT_NAME, "product_full_name": FULL_NAME}


def product(request) -> dict:
    """Context processor: {{ product_name }} and {{ product_full_name }} on every page."""
    return names()
