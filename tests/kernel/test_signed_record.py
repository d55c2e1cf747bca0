"""The kernel's signed-record guard (lao_integrity/signed.py) is the one every signed model uses;
what each refuses is tested in test_signed_guards.py, test_announcements.py and
test_no_lost_updates.py."""

from django.apps import apps

from lao_integrity.signed import SignedQuerySet, SignedRecord, Trigger


def test_every_signed_model_guards_its_managers_with_the_kernel_piece():
    signed = {model._meta.label for model in apps.get_models() if issubclass(model, SignedRecord)}
    assert signed == {"announcements.Announcement", "agreements.PerformanceAgreement",
                      "agreements.AgreementIndicator"}
    for label in signed:
        model = apps.get_model(label)
        # The base manager too: `_base_manager.update()` must meet the guard (Meta inherited).
        assert isinstance(model._base_manager.get_queryset(), SignedQuerySet)
        assert isinstance(model._default_manager.get_queryset(), SignedQuerySet)


def test_a_trigger_s_sql_creates_and_drops_the_function_and_the_trigger():
    trigger = Trigger("t_frozen", "app_table", body="    RETURN NEW;\n", declare=("open_columns text[]",))
    assert trigger.create_sql == (
        "CREATE OR REPLACE FUNCTION t_frozen() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "DECLARE\n    open_columns text[];\nBEGIN\n    RETURN NEW;\nEND\n$$;\n"
        "DROP TRIGGER IF EXISTS t_frozen ON app_table;\n"
        "CREATE TRIGGER t_frozen BEFORE UPDATE OR DELETE ON app_table\n"
        "    FOR EACH ROW EXECUTE FUNCTION t_frozen();\n")
    assert trigger.drop_sql == "DROP TRIGGER IF EXISTS t_frozen ON app_table;\nDROP FUNCTION IF EXISTS t_frozen();\n"
