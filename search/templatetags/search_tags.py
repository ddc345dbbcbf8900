"""Template filters for search results."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from search.danish import MARK_START, MARK_STOP

register = template.Library()

_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")


@register.filter
def highlight(snippet: str) -> str:
    """Escape a snippet, then turn the engine's sentinel pairs into <mark>; stray sentinels are dropped.

    The text comes from protocols and uploads: it is escaped before any markup is added, never marked safe as is.
    """
    escaped = str(conditional_escape(snippet or ""))
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_STOP, ""))
