"""The admin of both domains: importing their modules registers their models."""

from .organisation import admin as organisation_admin  # noqa: F401
from .performance import admin as performance_admin  # noqa: F401
