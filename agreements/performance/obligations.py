"""What completes the agreement rounds (lao_integrity/obligations): each round's agreements signed
at its start and evaluated after its end (round 1: 1 Oct - 31 Mar, round 2: 1 Apr - 30 Sep).
Done when the organisation has agreements for the round and none is left behind (all signed, or
all evaluated). One query for all the organisations given, shared by the four rules (registry.read_once)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from lao_integrity.obligations import registry
from lao_integrity.obligations.items import make
from lao_integrity.review import waiting

from .models import AgreementStatus, PerformanceAgreement


@registry.read_once
def _counts(organisation_ids, years) -> dict[int, dict[tuple[int, int], tuple[int, int, int]]]:
    """{year: {(organisation id, round): (agreements, signed or evaluated, evaluated)}}: one query
    that the four rules of every year read."""
    rows = (PerformanceAgreement.objects.filter(organisation_id__in=organisation_ids, fiscal_year__in=years)
            .order_by().values("organisation_id", "fiscal_year", "round")
            .annotate(total=Count("pk"),
                      signed=Count("pk", filter=Q(status__in=[AgreementStatus.SIGNED, AgreementStatus.EVALUATED])),
                      evaluated=Count("pk", filter=Q(status=AgreementStatus.EVALUATED))))
    found = {year: {} for year in years}
    for row in rows:
        found[row["fiscal_year"]][(row["organisation_id"], row["round"])] = (row["total"], row["signed"],
                                                                              row["evaluated"])
    return found


def round_items(round_number: int, *, evaluated: bool):
    def items_for(organisations, fiscal_year, rule, today):
        counts = _counts(organisations, fiscal_year)
        due = rule.due_in(fiscal_year)
        url = reverse("agreements:list") + "?" + urlencode({"year": fiscal_year, "round": round_number})
        for organisation in organisations:
            total, signed, done_evaluating = counts.get((organisation.pk, round_number), (0, 0, 0))
            finished = done_evaluating if evaluated else signed
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
