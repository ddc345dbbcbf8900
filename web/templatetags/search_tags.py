"""Template filters and tags for search results."""

import re

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from cases.models import Outcome
from search.danish import MARK_START, MARK_STOP

register = template.Library()

OUTCOME_LABELS = {value: str(label) for value, label in Outcome.choices}
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")


@register.filter
def bare_query(text: str) -> str:
    """A query as the page's heading quotes it: a query that is one quoted phrase loses its own quotes, so the
    heading reads “sociale klausuler”, not “"sociale klausuler"”."""
    text = text or ""
    if len(text) > 1 and text.startswith('"') and text.endswith('"') and '"' not in text[1:-1]:
        return text[1:-1]
    return text


@register.simple_tag
def search_url(criteria, **changes) -> str:
    """The search page's address with the parameters in use and these changes (None removes one)."""
    return criteria.page_url(**changes)


@register.filter
def highlight(snippet: str) -> str:
    """Escape a snippet, then turn the engine's sentinel pairs into <mark>; stray sentinels are dropped.

    The text comes from protocols and uploads: it is escaped before any markup is added, never marked safe as is.
    """
    escaped = str(conditional_escape(snippet or ""))
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_STOP, ""))


# The result list and the facet lists are built here rather than in template loops: with a full page of results
# and dozens of facet entries the template engine cost more per entry than the search itself (bench/RESULTS.md).
# Everything from the archive goes through format_html, which escapes it.


def _count(n: int, estimated: bool) -> str:
    grouped = f"{n:,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    return f"{gettext('ca.')} {grouped}" if estimated else grouped


@register.simple_tag(takes_context=True)
def facet_items(context, name: str, facets, estimated: bool) -> str:
    """The <li> entries of one facet list: the value as a link that filters by it (current one marked) and
    its count, "ca." when estimated. A value that cannot be filtered on (no decision) is not a link."""
    request = context["request"]
    current = request.GET.get(name, "")
    items = []
    for facet in facets:
        count = _count(facet.count, estimated)
        if not facet.value:
            items.append(format_html('<li>{} <span class="search-facets__count">{}</span></li>', facet.label, count))
            continue
        params = request.GET.copy()
        params[name] = facet.value
        params.pop("page", None)
        items.append(
            format_html(
                '<li><a href="?{}"{}>{}</a> <span class="search-facets__count">{}</span></li>',
                params.urlencode(),
                mark_safe(' aria-current="true"') if facet.value == current else "",
                facet.label,
                count,
            )
        )
    return mark_safe("\n".join(items))


@register.simple_tag
def result_item(doc) -> str:
    """One search result: title linking to the case, committee, date, case number, outcome, authority, snippet."""
    meta = [
        format_html("{}", doc.committee.name),
        format_html(
            '<time datetime="{}">{}</time>', doc.meeting_date.isoformat(), date_format(doc.meeting_date, "j. F Y")
        ),
        format_html("{}", gettext("sag nr. %(number)s") % {"number": doc.number}),
    ]
    if doc.outcome:
        meta.append(
            format_html(
                '<span class="search-result__outcome search-result__outcome--{}">{}</span>',
                doc.outcome,
                OUTCOME_LABELS.get(doc.outcome, doc.outcome),
            )
        )
    if doc.kind == "agenda":  # meetings.models.DocumentKind.AGENDA: on an agenda, not decided yet
        meta.append(
            format_html('<span class="search-result__agenda">{}</span>', gettext("dagsorden, ikke behandlet endnu"))
        )
    if doc.authority:
        meta.append(format_html("{}", gettext("kompetence: %(authority)s") % {"authority": doc.authority}))
    if getattr(doc, "snippet", ""):  # only searches with words have snippets
        snippet = format_html('<p class="search-result__snippet">{}</p>', highlight(doc.snippet))
    elif doc.text_b:
        snippet = format_html('<p class="search-result__snippet">{}</p>', Truncator(doc.text_b).words(35))
    else:
        snippet = ""
    return format_html(
        '<li class="search-result">\n<h3 class="search-result__title"><a href="{}">{}</a></h3>\n'
        '<p class="search-result__meta">{}</p>\n{}</li>',
        doc.get_absolute_url(),
        doc.title,
        mark_safe(" · ".join(meta)),
        snippet,
    )
