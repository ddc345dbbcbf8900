"""Template helpers shared by the public pages."""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def case_ranges(numbers) -> str:
    """Case numbers as a protocol writes them: [29, 30, 31, 33] → "29–31, 33"."""
    values = sorted({int(n) for n in numbers or ()})
    runs: list[list[int]] = []
    for n in values:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


@register.filter
def party_label(attendance) -> str:
    """ "A" or "A – Socialdemokratiet" for screen readers and tooltips; empty when the party is unknown."""
    letter = getattr(attendance, "party", "")
    name = getattr(attendance, "party_name", "")
    if not letter:
        return ""
    return _("%(letter)s – %(name)s") % {"letter": letter, "name": name} if name else letter


@register.filter(is_safe=True, needs_autoescape=True)
def paragraphs(text: str, autoescape: bool = True) -> str:
    """Protocol text with each line as its own paragraph (the protocols print one paragraph per line), escaped.

    This is Django's `linebreaks` with every single newline treated as a paragraph break.
    """
    return linebreaks_filter((text or "").replace("\r\n", "\n").replace("\n", "\n\n"), autoescape=autoescape)


@register.filter
def join_names(committees) -> str:
    """Committees' names as Danish lists them: "A", "A og B", "A, B og C"."""
    names = [c.name for c in committees or ()]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s og %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
