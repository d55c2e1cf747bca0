"""The OIT checklist of an organisation per fiscal year (issue 17): models, evidence mapping, pages."""
