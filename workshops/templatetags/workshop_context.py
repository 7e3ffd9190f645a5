"""The workshop's context (why now, the Pillar 5 narrative) for the pages that show it."""

from django import template

from ..models import Narrative

register = template.Library()


@register.simple_tag
def narrative_of(workshop) -> Narrative | None:
    """The workshop's uploaded narrative PDF (name, size, when; not its bytes), or None."""
    return (
        Narrative.objects.filter(workshop_id=workshop.pk)
        .only("filename", "size", "uploaded_at", "workshop_id")
        .first()
    )
