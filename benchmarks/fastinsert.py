"""Insert many rows quickly: PostgreSQL COPY when available, bulk_create otherwise.

Rows are plain dicts of attribute names (``plan_id``, ``budget`` …); fields a row leaves out
take the model field's default, computed once per call, so a field added to the model later
(with a default) doesn't break the generator. Only for synthetic data: no model validation,
no signals.
"""

import io
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (datetime, date, Decimal, int, float)):
        return value.isoformat() if isinstance(value, (datetime, date)) else str(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def fast_insert(model, rows: list[dict]) -> int:
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        else:
            # The model's default, "" for text fields, None for nullable ones.
            defaults[field.attname] = field.get_default()
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**{**defaults, **row}) for row in rows], batch_size=2000)
        return len(rows)
    columns = [f.attname for f in fields]
    buffer = io.StringIO()
    for row in rows:
        merged = {**defaults, **row}
        buffer.write("\t".join(_copy_value(merged.get(c)) for c in columns))
        buffer.write("\n")
    buffer.seek(0)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN",
                                  buffer)
    return len(rows)
