"""Unit and individual performance agreements (ข้อตกลงการปฏิบัติราชการระดับหน่วยงาน/บุคคล):
weighted indicators with five target levels, signed, followed quarterly and evaluated. Models,
writes (services), scoring, reads (selectors), forms, pages (views), the csv/xlsx exchange, the
agreement document and the demo; it shares nothing with `organisation`."""
