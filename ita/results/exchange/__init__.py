"""ITA results as files: import (long or wide csv/xlsx, all or nothing) and export (one row per organisation).

Long format, one indicator score per row::

    รหัส อปท., ปีงบประมาณ, ตัวชี้วัด, คะแนน[, ลำดับ[, ประเภทหน่วยงานที่จัดลำดับ]]

Wide format, one organisation and year per row::

    รหัส อปท., ปีงบประมาณ, ตัวชี้วัดที่ 1, …, ตัวชี้วัดที่ 10[, ลำดับ[, ประเภทหน่วยงานที่จัดลำดับ]][, EIT ส่วนที่ 1, EIT ส่วนที่ 2]

The rank is the one the ITA letter prints, within a peer group ("ลำดับที่ 1,175 ของหน่วยงานประเภท
เทศบาลตำบล"): without ประเภทหน่วยงานที่จัดลำดับ it is in the organisation's type. A file written before
the group was stored names the column ลำดับระดับประเทศ: it is read as ลำดับ.

The exported file is a wide file: its other columns (ชื่อ, ประเภท, จังหวัด and the computed IIT … ผลการประเมิน)
are ignored on import, so an export can be edited and imported back. Only indicator scores, part scores
and the rank with its group are read; tool scores, overall score, level and pass are computed as
services.result_save computes them. An import updates, for every organisation and year in the file,
the scores the file carries and keeps the others (writing.merge_stored); a result that does not exist yet
must be complete. It touches nothing else; one bad line rejects the whole file and every problem is
reported with its line. An indicator header's name is checked against the year's framework
(indicator_names): real reports number indicators their own way.

The modules, in the order an import runs: cells (reading one value), layout (detecting the
columns from the header row), years (the frameworks named), parsing (rows into entries),
writing (merging with what is stored, then writing in bulk), importing (the whole, all or
nothing); export writes the file.
"""

from .cells import FAILED, PART_HEADERS, PART_TOOL, PASSED, read_rank, read_score
from .export import export_headers, export_results, export_results_iter, export_results_to, export_rows
from .importing import ImportSummary, results_import

__all__ = [
    "FAILED", "PART_HEADERS", "PART_TOOL", "PASSED", "ImportSummary", "export_headers", "export_results",
    "export_results_iter", "export_results_to", "export_rows", "read_rank", "read_score", "results_import",
]
