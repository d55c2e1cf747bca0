"""Files a test uploads or reads back: images, csv and xlsx tables."""

import csv
import io

from openpyxl import load_workbook
from PIL import Image


def png_bytes(size=(60, 60), color=(200, 0, 0)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data))
    return [tuple(c.value for c in row) for row in workbook.worksheets[0].iter_rows()]
