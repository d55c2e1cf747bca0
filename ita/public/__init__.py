"""ITA's public pages (no login): the organisation's results by year, and each year's measures
and their progress once the measures announcement is published."""
