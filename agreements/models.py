"""The agreements app's models, defined in its two domains and gathered here for Django.

`organisation/` holds the organisation-level agreement and its structured annex; `performance/`
the unit and individual performance agreements. Both keep the `agreements` app label, so their
tables and migrations are this app's.
"""

from .organisation.models import OrgAgreement, Topic, TopicItem
from .performance.models import (
    AgreementIndicator,
    IndicatorProgress,
    PerformanceAgreement,
    indicator_evidence_path,  # named by migrations 0001 and 0002 as agreements.models.indicator_evidence_path
)

__all__ = ["AgreementIndicator", "IndicatorProgress", "OrgAgreement", "PerformanceAgreement", "Topic", "TopicItem",
           "indicator_evidence_path"]
