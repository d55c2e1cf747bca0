"""The agreements' public pages (no login): published unit/individual agreements, and the
organisation agreement of a year whose announcement is published."""
