"""The organisation-level agreement (ข้อตกลงการปฏิบัติราชการระดับองค์กร) and its structured annex:
printed after the kernel's "agreement" announcement, numbered from positions. Models, writes
(services), the free-text annex reader (annex_text), reads (selectors), forms, pages (views),
the annex document and its hooks (documents) and the demo; it shares nothing with `performance`."""
