"""`{% term "ROI" %}`: a glossary term with its definition on hover and keyboard focus.

The glossary is read once per request (kept on the request), however many terms a page shows.
"""

from django import template
from django.utils.html import format_html

from foundation import selectors

register = template.Library()

_REQUEST_CACHE = "_foundation_glossary"


def _lookup(context) -> dict:
    request = context.get("request")
    holder = request if request is not None else context.render_context
    if isinstance(holder, template.context.RenderContext):
        if _REQUEST_CACHE not in holder:
            holder[_REQUEST_CACHE] = selectors.glossary_lookup()
        return holder[_REQUEST_CACHE]
    if not hasattr(holder, _REQUEST_CACHE):
        setattr(holder, _REQUEST_CACHE, selectors.glossary_lookup())
    return getattr(holder, _REQUEST_CACHE)


@register.simple_tag(takes_context=True)
def term(context, name: str, text: str | None = None):
    """The term (or `text`) with its definition as a tooltip; plain text if not in the
    glossary."""
    shown = text if text is not None else name
    entry = _lookup(context).get(str(name).strip().lower())
    if entry is None:
        return shown
    counter = context.render_context.setdefault("_foundation_term_count", [0])
    counter[0] += 1
    tip_id = f"term-tip-{counter[0]}"
    return format_html(
        '<span class="term" tabindex="0" aria-describedby="{}">{}'
        '<span class="term-tip" role="tooltip" id="{}">{}</span></span>',
        tip_id,
        shown,
        tip_id,
        entry.definition,
    )
