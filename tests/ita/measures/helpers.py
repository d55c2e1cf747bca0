"""What the measures tests compare before and after a refused write."""

from ita.models import Measure


def snapshot(org) -> list:
    return [(m.pk, m.title, m.steps, m.order, sorted(i.number for i in m.indicators.all()),
             sorted(i.code for i in m.items.all()), m.deadline, m.cadence)
            for m in Measure.objects.filter(organisation=org).prefetch_related("indicators", "items")
            .order_by("pk")]
