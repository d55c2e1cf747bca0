"""Helpers the test files share: reading a page, a PDF's text, table files, test images.

Import them from their module (`from tests.support.pages import by_id`); fixtures stay in the
conftest.py files, which pytest finds by folder.
"""
