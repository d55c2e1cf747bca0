"""Supervision across organisations (kernel): dashboards of an area (the nation, a province, a
district) and fiscal year for supervisors with a read-only scope, filled by the figures the domain
apps register (registry.py)."""
