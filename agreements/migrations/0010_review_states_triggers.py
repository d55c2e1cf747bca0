"""PostgreSQL: the signed-agreement triggers (0006) with the review states (lao_integrity/review).

A submitted or returned agreement is still open, as a draft is: its row and its indicators change
freely (returning it, withdrawing it, correcting it). A signed one never goes back to any of the
three. Migrating back restores the triggers of 0006.
"""

import importlib

from django.db import migrations

from lao_integrity.signed import Trigger

BEFORE = importlib.import_module("agreements.migrations.0006_signed_agreement_triggers")
OPEN = "('draft', 'submitted', 'returned')"

AGREEMENT = Trigger(BEFORE.AGREEMENT.name, BEFORE.AGREEMENT.table, declare=BEFORE.AGREEMENT.declare,
                    body=BEFORE.AGREEMENT.body
                    .replace("IF OLD.status = 'draft' THEN", f"IF OLD.status IN {OPEN} THEN")
                    .replace("IF NEW.status = 'draft' THEN", f"IF NEW.status IN {OPEN} THEN"))
INDICATOR = Trigger(BEFORE.INDICATOR.name, BEFORE.INDICATOR.table, declare=BEFORE.INDICATOR.declare,
                    body=BEFORE.INDICATOR.body.replace(
                        "IF statuses <@ ARRAY['draft']::text[] THEN",
                        "IF statuses <@ ARRAY['draft', 'submitted', 'returned']::text[] THEN"))
assert AGREEMENT.body.count("IN ('draft'") == 2 and "'submitted'" in INDICATOR.body


def _creating(*triggers):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for trigger in triggers:
                schema_editor.execute(trigger.create_sql, None)  # None: the % in RAISE are not parameters
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0009_review_states"),
    ]

    operations = [migrations.RunPython(_creating(AGREEMENT, INDICATOR), _creating(BEFORE.AGREEMENT, BEFORE.INDICATOR),
                                       elidable=False)]
