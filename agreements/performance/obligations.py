"""What completes the agreement rounds (lao_integrity/obligations): each round's agreements signed
at its start and evaluated after its end (round 1: 1 Oct - 31 Mar, round 2: 1 Apr - 30 Sep).
Done when the organisation has agreements for the round and none is left behind (all signed, or
all evaluated). One query for all the organisations given."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from lao_integrity.obligations import registry
from lao_integrity.obligations.items import make
from lao_integrity.review import waiting

from .models import AgreementStatus, PerformanceAgreement


def round_items(round_number: int, *, evaluated: bool):
    wanted = [AgreementStatus.EVALUATED] if evaluated else [AgreementStatus.SIGNED, AgreementStatus.EVALUATED]

    def items_for(organisations, fiscal_year, rule, today):
        rows = (PerformanceAgreement.objects
                .filter(organisation_id__in=[o.pk for o in organisations], fiscal_year=fiscal_year, round=round_number)
                .order_by().values("organisation_id")
                .annotate(total=Count("pk"), finished=Count("pk", filter=Q(status__in=wanted))))
        counts = {row["organisation_id"]: (row["total"], row["finished"]) for row in rows}
        due = rule.due_in(fiscal_year)
        url = reverse("agreements:list") + "?" + urlencode({"year": fiscal_year, "round": round_number})
        for organisation in organisations:
            total, finished = counts.get(organisation.pk, (0, 0))
            yield make(rule, organisation, fiscal_year, due=due, today=today, url=url,
                       done=total > 0 and finished == total)

    return items_for


def agreements_submitted(organisation_ids):
    """Performance agreements staff submitted for signing (one query)."""
    for agreement in (PerformanceAgreement.objects.filter(organisation_id__in=organisation_ids,
                                                          status=AgreementStatus.SUBMITTED)
                      .select_related("organisation").order_by("pk")):
        yield waiting.Waiting(f"ลงนามข้อตกลงการปฏิบัติราชการ {agreement}",
                              reverse("agreements:detail", args=[agreement.pk]), agreement.organisation.name)


def register_obligations() -> None:
    waiting.register(agreements_submitted)
    for round_number in (1, 2):
        registry.register(f"agreements.round{round_number}_signed", round_items(round_number, evaluated=False),
                          label=f"ลงนามข้อตกลงการปฏิบัติราชการ รอบที่ {round_number} (ทุกฉบับ)")
        registry.register(f"agreements.round{round_number}_evaluated", round_items(round_number, evaluated=True),
                          label=f"ประเมินผลข้อตกลงการปฏิบัติราชการ รอบที่ {round_number} (ทุกฉบับ)")
