"""The workshop's context (why now, the Pillar 5 narrative) for the pages that show it."""

from django import template

from ..models import Narrative
from ..selectors import narrative_meta

register = template.Library()


@register.simple_tag
def narrative_of(workshop) -> Narrative | None:
    """The workshop's uploaded narrative PDF (not its bytes), or None."""
    return narrative_meta(workshop=workshop)
