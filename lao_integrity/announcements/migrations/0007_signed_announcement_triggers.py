"""PostgreSQL: the database itself refuses to change or delete a signed announcement.

The model and its queryset refuse it already; these triggers catch what goes around them (raw SQL,
QuerySet._update, psql by hand). Only UPDATE and DELETE: a restore into an empty database inserts
signed rows. An UPDATE that changes nothing passes (the row stays what was signed).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION announcements_signed_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'signed' THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'ประกาศที่ลงนามแล้วลบไม่ได้ (announcement %)', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
            RAISE EXCEPTION 'ประกาศที่ลงนามแล้วแก้ไขไม่ได้ ให้จัดทำฉบับปรับปรุง (announcement %)', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS announcements_signed_frozen ON announcements_announcement;
CREATE TRIGGER announcements_signed_frozen BEFORE UPDATE OR DELETE ON announcements_announcement
    FOR EACH ROW EXECUTE FUNCTION announcements_signed_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS announcements_signed_frozen ON announcements_announcement;
DROP FUNCTION IF EXISTS announcements_signed_frozen();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, None)  # None: the % in RAISE are not parameters


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, None)


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0006_guarded_base_manager"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
