"""Which currency the Block 1 tools show: the workshop's, when opened in a workshop context."""

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpRequest

from workshops.models import Workshop
from workshops.permissions import current_participant, workshop_for_facilitator


@dataclass(frozen=True)
class Currency:
    code: str
    rate: Decimal  # units of this currency per US dollar
    workshop: Workshop | None = None

    @property
    def is_usd(self) -> bool:
        return self.code == "USD" and self.rate == 1


USD = Currency(code="USD", rate=Decimal(1))


def tool_currency(request: HttpRequest) -> Currency:
    """`?workshop=<id>` for its facilitator (404 for anyone else), else the joined
    participant's workshop, else USD."""
    workshop_id = request.GET.get("workshop", "").strip()
    if workshop_id:
        if not workshop_id.isdigit() or len(workshop_id) > 12:
            raise Http404("No such workshop.")
        workshop = workshop_for_facilitator(request, int(workshop_id))
    else:
        participant = current_participant(request)
        if participant is None:
            return USD
        workshop = participant.table.workshop
    return Currency(
        code=workshop.currency, rate=Decimal(workshop.usd_exchange_rate), workshop=workshop
    )
