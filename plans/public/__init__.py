"""The plan's public pages (no login): the adopted plan and its 6- and 12-month progress reports.

A plan of fiscal year Y is public while the organisation's plan announcement of Y (its newest
signed revision) has a live publication (lao_integrity/publication). What the public sees is the
version of the plan that announcement adopted, never today's draft."""
