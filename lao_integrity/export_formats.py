"""The admin's csv and xlsx exports (django-import-export), written by the portal's own writer.

django-import-export hands the rows to tablib, which writes a text beginning with "=" as a live
formula in xlsx and as it is in csv: a person or project named `=HYPERLINK(...)` or
`=cmd|' /C calc'!A0` became a link or a command in the administrator's spreadsheet. The library's
own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=" (not + - @), changes the
text, and turns every number into text. These formats write through `lao_integrity.tabular`
instead, as the pages and commands do: formula-like text is kept as text (an apostrophe in front
in csv, a text cell marked "quote prefix" in xlsx) and numbers, negative ones included, stay numbers.

settings.EXPORT_FORMATS lists these two, the only formats the admin exports (what it exports, the
import pages read back: read_table drops the csv apostrophe again).
"""

from import_export.formats import base_formats


def _rows(dataset):
    for row in dataset:
        yield list(row)


class CSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        from lao_integrity.tabular import write_table  # settings import this module: no app code at import

        # Text, as tablib's csv is: the admin encodes it to the encoding its form chose (UTF-8 with
        # the BOM, which Excel needs to show Thai, stays at the front).
        return write_table(list(dataset.headers or []), _rows(dataset), "csv").decode("utf-8")


class XLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        from lao_integrity.tabular import write_table

        return write_table(list(dataset.headers or []), _rows(dataset), "xlsx", title=dataset.title or "Sheet1")


# The admin asks the resource for native values (numbers, dates) only for the formats in this
# list, compared by exact type; without it every number in the xlsx would be a text cell.
if XLSX not in base_formats.BINARY_FORMATS:
    base_formats.BINARY_FORMATS.append(XLSX)

FORMATS = [CSV, XLSX]
