"""Review of a performance agreement before it is signed (lao_integrity/review): staff submit a
draft, the executive signs it (services.agreement_sign) or returns it with a comment.
Keyword-only, one transaction each, the acting `user` required."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lao_integrity.history import records_user
from lao_integrity.pagecache.versions import scoped
from lao_integrity.review import workflow as review

from .models import PerformanceAgreement
from .services import _locked, document, sign_problems


@scoped("agreement")
@records_user
@transaction.atomic
def agreement_submit(*, agreement: PerformanceAgreement, user,
                     expected_version: int | None = None) -> PerformanceAgreement:
    """Staff ask the executive to sign: the same checks as signing (weights total 100, ...)."""
    current = _locked(agreement)
    if current.status in review.EDITABLE:
        problems = sign_problems(current)
        if problems:
            raise ValidationError(problems)
    review.submit(document(current), user=user, expected_version=expected_version)
    return current


@scoped("agreement")
@records_user
@transaction.atomic
def agreement_withdraw(*, agreement: PerformanceAgreement, user,
                       expected_version: int | None = None) -> PerformanceAgreement:
    current = _locked(agreement)
    review.withdraw(document(current), user=user, expected_version=expected_version)
    return current


@scoped("agreement")
@records_user
@transaction.atomic
def agreement_return(*, agreement: PerformanceAgreement, user, comment: str,
                     expected_version: int | None = None) -> PerformanceAgreement:
    current = _locked(agreement)
    review.send_back(document(current), user=user, comment=comment, expected_version=expected_version)
    return current
