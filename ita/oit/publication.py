"""The public section of an organisation's page that links its OIT lists (confirmed years)."""

from lao_integrity.publication import registry

from . import selectors

SECTION_TITLE = "การเปิดเผยข้อมูลสาธารณะ (OIT)"


def register_section() -> None:
    registry.register_section(selectors.SECTION_KEY, title=SECTION_TITLE, order=80, lister=selectors.public_items)
