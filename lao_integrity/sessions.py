"""Django's database sessions, read with one plain statement instead of a compiled queryset.

Every signed-in request reads its session first. For a kept page (lao_integrity/pagecache) the
ORM's building of that one query cost more than running it, and on PostgreSQL planning it cost
several times its running (a prepared statement, lao_integrity/statements.py); everything else
(writing, expiry, clearsessions) is Django's own `django.contrib.sessions.backends.db`.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from lao_integrity.statements import Prepared

_STATEMENTS: dict[tuple[str, str], Prepared] = {}


def _statement(connection, table: str) -> Prepared:
    found = _STATEMENTS.get((connection.vendor, table))
    if found is None:
        quote = connection.ops.quote_name
        found = _STATEMENTS[(connection.vendor, table)] = Prepared(
            f"SELECT {quote('session_data')} FROM {quote(table)} "
            f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s", 2)
    return found


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """As Django's: the session if its key exists and has not expired, else forget the key."""
        connection = connections[router.db_for_read(self.model, instance=None)]
        statement = _statement(connection, self.model._meta.db_table)
        with connection.cursor() as cursor:
            statement.run(connection, cursor, [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0])
