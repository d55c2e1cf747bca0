"""Django's ModelBackend, with the signed-in user read by one plain statement.

Every signed-in request reads its user (django.contrib.auth.get_user -> backend.get_user); the
ORM's building of that one query by primary key cost three times its running. Signing in, the
password check, permissions and `user_can_authenticate` (a deactivated user is signed out) are
Django's own. Sessions name their backend by its path: sessions made before this backend was
listed (django.contrib.auth.backends.ModelBackend) ask their user to sign in once more.
"""

import functools

from django.contrib.auth import backends, get_user_model
from django.db import connections, router

from lao_integrity.statements import Prepared


@functools.cache
def _statement(vendor: str) -> tuple[Prepared, tuple[str, ...]]:
    model = get_user_model()
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    fields = tuple(field.attname for field in model._meta.concrete_fields)
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    sql = f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s"
    return Prepared(sql, 1), fields  # on PostgreSQL planned once a session: planning cost more than running


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        alias = router.db_for_read(model)
        connection = connections[alias]
        statement, fields = _statement(connection.vendor)
        with connection.cursor() as cursor:
            statement.run(connection, cursor, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        # Each value as the ORM gives it (a boolean from SQLite's 0/1, an aware datetime).
        converters = connection.ops.get_db_converters
        values = []
        for field, value in zip(model._meta.concrete_fields, row, strict=True):
            expression = field.get_col(model._meta.db_table)
            for converter in [*converters(expression), *expression.get_db_converters(connection)]:
                value = converter(value, expression, connection)
            values.append(value)
        user = model.from_db(alias, fields, values)
        return user if self.user_can_authenticate(user) else None
