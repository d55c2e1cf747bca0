"""The two states every reviewed record's status field adds (models import this: no other import)."""

DRAFT = "draft"
SUBMITTED, RETURNED = "submitted", "returned"
SUBMITTED_LABEL, RETURNED_LABEL = "เสนออนุมัติแล้ว รอพิจารณา", "ส่งกลับแก้ไข"
# Staff edit and submit a draft or a returned draft; the executive may approve any of the three.
EDITABLE = (DRAFT, RETURNED)
OPEN = (DRAFT, SUBMITTED, RETURNED)
