"""Template helpers for case pages."""

import re

import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


@register.filter
def sanitised_html(html: str, top_level: int = 3) -> str:
    """An attachment document's HTML view, cleaned again with nh3 right before it is marked safe.

    The importer already stores `AttachmentDocument.html` sanitised; cleaning again here keeps the page safe even
    if a row was written some other way (admin, a future importer), so nothing unsanitised is ever marked safe.
    The document's headings are shifted so its highest one becomes `top_level`: the page keeps one h1 and a
    heading outline that screen readers can follow.
    """
    cleaned = nh3.clean(html or "")
    levels = [int(m.group(2)) for m in _HEADING_TAG.finditer(cleaned)]
    if levels:
        shift = int(top_level) - min(levels)
        # After nh3 every "<" in text is escaped, so the pattern only ever meets real heading tags.
        cleaned = _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, max(1, int(m.group(2)) + shift))}", cleaned)
    return mark_safe(cleaned)  # safe: cleaned by nh3 just above


@register.filter
def body_sections(case) -> list:
    """The case's sections in order, minus those the case page already shows in structured form.

    "Beslutning" is shown first as the decision, "Indstilling" as the list of recommendations and "Bilag" as the
    attachments; each is left out only when that structured form exists, so no text is ever hidden. Uses the
    prefetched rows (no queries).
    """
    # A missing one-to-one raises RelatedObjectDoesNotExist, an AttributeError, so getattr's default applies.
    decision = getattr(case, "decision", None)
    has_recommendations = bool(case.recommendations.all())
    has_attachments = bool(case.attachments.all())
    shown = []
    for section in case.sections.all():
        heading = section.heading.strip().casefold()
        if heading == "beslutning" and decision is not None and section.text.strip() == decision.text.strip():
            continue
        if heading == "indstilling" and has_recommendations:
            continue
        if heading == "bilag" and has_attachments:
            continue
        shown.append(section)
    return shown
