"""Review before approval: staff submit a draft, the executive approves it or returns it with a comment.

The kernel half of every app's review workflow (plans, announcements, performance agreements).
Each app adds two values to its own status field, ``submitted`` (รอพิจารณา) and ``returned``
(ส่งกลับแก้ไข), and its services call ``workflow`` on the record they have locked: the status
moves, the record's version moves (an open edit form is refused), one ``ReviewEvent`` is kept
(who, when, the comment of a return) and the people concerned are told after the commit
(``lao_integrity.notifications.notify``). The events are the record's review timeline: a
returned draft keeps every submission and return, shown on its page to staff as well.
"""
