"""The executive's publish and withdraw buttons on a signed agreement's page.

Minimal views until the kernel's generic publish box and views land (lao_integrity/publication):
each calls the kernel's service through saving.run_action, once per submission."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.views.decorators.http import require_POST

from lao_integrity.orgs import access
from lao_integrity.publication import services as publication_services
from lao_integrity.saving import run_action
from lao_integrity.submissions.once import once_per_submission

from . import selectors


def _agreement(request, pk):
    return access.get_for(request, selectors.agreement_for_page, pk=pk, approve=True)


def _back(agreement) -> str:
    return reverse("agreements:detail", args=[agreement.pk]) + "#publication"


@login_required
@require_POST
@once_per_submission
def agreement_publish(request, pk):
    agreement = _agreement(request, pk)
    return run_action(request, lambda: publication_services.publish(document=agreement, user=request.user),
                      message="เผยแพร่ข้อตกลงต่อสาธารณะแล้ว", to=_back(agreement), refused=_back(agreement))


@login_required
@require_POST
@once_per_submission
def agreement_unpublish(request, pk):
    agreement = _agreement(request, pk)
    return run_action(request, lambda: publication_services.withdraw(
        document=agreement, user=request.user, reason=request.POST.get("reason", "")),
        message="ถอนการเผยแพร่ข้อตกลงแล้ว", to=_back(agreement), refused=_back(agreement))
