"""PostgreSQL: the database itself refuses to change what a signed performance agreement froze.

The models and their querysets refuse it already (the `frozen` rules of PerformanceAgreement and
AgreementIndicator, lao_integrity/signed.py); these triggers catch what goes around them (raw SQL, QuerySet._update, psql
by hand), with the same lists of what stays open:

* the agreement, signed: evaluation (status to "evaluated", evaluated_at, score) and bookkeeping
  (updated_at, version); evaluated: bookkeeping only; never back to a draft, never deleted;
* its indicators, signed: the achieved value and level (evaluation); evaluated: nothing; no
  indicator leaves or joins a signed agreement, none is deleted.

Only UPDATE and DELETE: a restore into an empty database inserts signed rows. Progress per
quarter (IndicatorProgress) is entered after signing and is not frozen.
"""

from django.db import migrations

from lao_integrity.signed import Trigger, create_triggers

AGREEMENT = Trigger(
    "agreements_signed_agreement_frozen", "agreements_performanceagreement",
    declare=("open_columns text[]",),
    body="""\
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ข้อตกลงที่ลงนามแล้วลบไม่ได้ (performance agreement %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.status = 'draft' THEN
        RAISE EXCEPTION 'ข้อตกลงที่ลงนามแล้วกลับเป็นร่างไม่ได้ (performance agreement %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status = 'signed' THEN
        open_columns := ARRAY['status', 'evaluated_at', 'score', 'updated_at', 'version'];
    ELSE
        open_columns := ARRAY['updated_at', 'version'];
    END IF;
    IF (to_jsonb(NEW) - open_columns) IS DISTINCT FROM (to_jsonb(OLD) - open_columns) THEN
        RAISE EXCEPTION 'ข้อตกลงที่ลงนามแล้วแก้ไขไม่ได้ (performance agreement %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
""")

INDICATOR = Trigger(
    "agreements_signed_indicator_frozen", "agreements_agreementindicator",
    declare=("statuses text[]", "open_columns text[]"),
    body="""\
    IF TG_OP = 'DELETE' THEN
        statuses := ARRAY(SELECT status FROM agreements_performanceagreement WHERE id = OLD.agreement_id);
    ELSE
        statuses := ARRAY(SELECT status FROM agreements_performanceagreement
                          WHERE id IN (OLD.agreement_id, NEW.agreement_id));
    END IF;
    IF statuses <@ ARRAY['draft']::text[] THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ตัวชี้วัดของข้อตกลงที่ลงนามแล้วลบไม่ได้ (indicator %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF 'evaluated' = ANY(statuses) THEN
        open_columns := ARRAY[]::text[];
    ELSE
        open_columns := ARRAY['achieved_value', 'achieved_level'];
    END IF;
    IF (to_jsonb(NEW) - open_columns) IS DISTINCT FROM (to_jsonb(OLD) - open_columns) THEN
        RAISE EXCEPTION 'ตัวชี้วัด ค่าเป้าหมาย และน้ำหนักของข้อตกลงที่ลงนามแล้วแก้ไขไม่ได้ (indicator %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
""")


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_guarded_base_manager"),
    ]

    operations = [create_triggers(AGREEMENT, INDICATOR)]
