"""The admin of both sub-domains: each registers its own models."""

from .bonus import admin as bonus_admin  # noqa: F401
from .results import admin as results_admin  # noqa: F401
