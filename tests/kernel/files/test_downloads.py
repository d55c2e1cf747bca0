"""The kernel's one attachment response and table content-type map (lao_integrity.downloads)."""

from urllib.parse import quote

from lao_integrity.downloads import TABLE_CONTENT_TYPES, attach, pdf_attachment, table_attachment


def test_ascii_names_keep_the_plain_quoted_form():
    response = table_attachment(b"a,b\r\n", fmt="csv", filename="plan-5205401-2569.csv")
    assert response["Content-Disposition"] == 'attachment; filename="plan-5205401-2569.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert table_attachment(b"PK", fmt="xlsx", filename="x.xlsx")["Content-Type"] == TABLE_CONTENT_TYPES["xlsx"]


def test_thai_names_are_encoded_not_sent_as_raw_header_bytes():
    name = "แผนพัฒนา-2569.pdf"
    disposition = pdf_attachment(b"%PDF", filename=name)["Content-Disposition"]
    assert disposition == f"attachment; filename*=utf-8''{quote(name)}"
    disposition.encode("ascii")  # a header a browser reads the same everywhere


def test_quotes_in_a_name_cannot_break_the_header():
    disposition = attach(pdf_attachment(b"", filename="a.pdf"), 'a"b.pdf')["Content-Disposition"]
    assert disposition == r'attachment; filename="a\"b.pdf"'
