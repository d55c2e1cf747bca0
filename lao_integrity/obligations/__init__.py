"""Obligations: dated duties of an organisation in a fiscal year (plan adopted, 6-month report...),
their state computed from the data. `items.for_user()` is what the home page, the reminders and the
calendar feed read."""
