"""Where the portal's warnings and errors (a 500's traceback above all) are written.

Django logs a 500 as an ERROR of the `django.request` logger, with its traceback; with debug off
its own handlers only mail the ADMINS (none here). Our root handler writes it out — and it must
reach the application server's log, which is where an operator looks: gunicorn run with
`--error-logfile FILE` (and its stderr elsewhere, or nowhere under a process manager) kept only
its own lines, so a 500 left no trace at all.
"""

import logging
import sys

SERVER_LOGGER = "gunicorn.error"  # gunicorn's error log: its handlers write to --error-logfile


class ServerLogHandler(logging.StreamHandler):
    """Under gunicorn, hands each record to the handlers of gunicorn's error log (its file, or
    stderr with `--error-logfile -`); anywhere else (runserver, db_worker, manage.py), stderr."""

    def __init__(self, stream=None):
        super().__init__(stream or sys.stderr)

    def emit(self, record):
        server = logging.getLogger(SERVER_LOGGER)
        handlers = [handler for handler in server.handlers if record.levelno >= handler.level]
        if not handlers:
            super().emit(record)
            return
        for handler in handlers:
            handler.handle(record)
