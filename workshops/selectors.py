"""The reads the workshop pages need, with a query count that does not grow with rows."""

from django.db.models import Count, Q, QuerySet

from .models import Workshop


def workshops_for_facilitator(*, user) -> QuerySet[Workshop]:
    return (
        Workshop.objects.filter(facilitators=user)
        .annotate(
            agent_count=Count("agents", distinct=True),
            table_count=Count("tables", distinct=True),
            open_prework=Count(
                "prework_items", filter=Q(prework_items__status="open"), distinct=True
            ),
        )
        .order_by("-date", "client_organisation")
    )
