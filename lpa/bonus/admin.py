"""This sub-domain's admin registrations (lpa/admin.py imports this module)."""
