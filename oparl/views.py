"""The OParl 1.1 API, read-only, under /api/oparl/v1/: one view per list and per object.

Views are thin: `queries` reads (a fixed number of queries per page), `serializers` writes the objects, `listing`
reads the list parameters and writes the page. Every answer is JSON with `Access-Control-Allow-Origin: *`
(OParl 1.1 §2.9) and a Last-Modified; ConditionalGetMiddleware adds the ETag and answers 304.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import wraps

from django.http import Http404, HttpResponse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from meetings.models import Party
from oparl import queries
from oparl.files import DOCUMENT, MODELS, PROTOCOL, Checksums, charset, file_response, guess_text_charset
from oparl.links import BODY_KEY, Links
from oparl.listing import BadParameter, ListParams, Page, paginate_list, paginate_queryset
from oparl.matters import load_matters
from oparl.papers import MatterIndex
from oparl.serializers import Serializer, deleted, files_of_cases, files_of_meetings

# Not a real id: keeps a page's queries the same whether or not it holds files of both kinds.
_NO_ID = -1


def _json(data, *, status: int = 200, modified: dt.datetime | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/json; charset=utf-8", status=status
    )
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return response


def api(view):
    """GET/HEAD only; errors as JSON (400 for a bad parameter, 404); CORS open to every origin."""

    @wraps(view)
    @require_safe
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except BadParameter as exc:
            response = _json({"error": str(exc)}, status=400)
        except Http404:
            response = _json({"error": "Not found."}, status=404)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


class ApiRequest:
    """What a view needs for one request: its list parameters, URL builder and serializer."""

    def __init__(self, request, *, listing: bool = False):
        self.params = ListParams.from_query(request.GET) if listing else ListParams()
        self.links = Links(request)
        self.checksums = Checksums()
        self.serializer = Serializer(self.links, self.checksums, omit_internal=self.params.omit_internal)

    def list_response(self, page: Page, name_or_url: str, data: list) -> HttpResponse:
        """The page as OParl lists it; Last-Modified is the archive's (a list changes when anything in it does)."""
        if not page.exists():
            raise Http404
        page.data = data
        url = name_or_url if "/" in name_or_url else self.links.list(name_or_url)
        return _json(page.body(url), modified=queries.archive_times()[1])


def _first(queryset):
    obj = queryset.first()
    if obj is None:
        raise Http404
    return obj


# --- system, body, legislative terms -----------------------------------------------------------------------------


@api
def system(request):
    created, modified = queries.archive_times()
    return _json(ApiRequest(request).serializer.system(created, modified), modified=modified)


def _body(api_request: ApiRequest) -> tuple[dict, dt.datetime | None, dt.datetime | None]:
    created, modified = queries.archive_times()
    return api_request.serializer.body(created, modified, list(queries.public_terms())), created, modified


@api
def body_list(request):
    api_request = ApiRequest(request, listing=True)
    body, created, modified = _body(api_request)
    page = paginate_list([body] if api_request.params.matches(created, modified) else [], api_request.params)
    return api_request.list_response(page, "body", list(page.rows))


@api
def body(request, key: str):
    if key != BODY_KEY:
        raise Http404
    data, _, modified = _body(ApiRequest(request))
    return _json(data, modified=modified)


@api
def term_list(request):
    api_request = ApiRequest(request, listing=True)
    params = api_request.params
    terms = queries.terms() if params.include_deleted else queries.public_terms()
    page = paginate_queryset(terms.filter(params.q()), params)
    return api_request.list_response(page, "legislativeterm", [api_request.serializer.term(row) for row in page.rows])


@api
def term(request, year: int):
    row = _first(queries.terms().filter(term_year=year))
    return _json(ApiRequest(request).serializer.term(row), modified=row["modified"])


# --- organizations, people, memberships --------------------------------------------------------------------------


def _membership_urls(api_request: ApiRequest, committee_ids) -> dict[int, list[str]]:
    urls: dict[int, list[str]] = {}
    for row in queries.public_memberships().filter(meeting__committee_id__in=committee_ids):
        urls.setdefault(row["meeting__committee_id"], []).append(api_request.serializer.membership_url(row))
    return urls


@api
def organization_list(request):
    api_request = ApiRequest(request, listing=True)
    params = api_request.params
    page = paginate_queryset(queries.organizations().filter(params.q()).order_by("pk"), params)
    urls = _membership_urls(api_request, [c.pk for c in page.rows])
    data = [api_request.serializer.organization(c, urls.get(c.pk, [])) for c in page.rows]
    return api_request.list_response(page, "organization", data)


@api
def organization(request, slug: str):
    api_request = ApiRequest(request)
    committee = _first(queries.organizations().filter(slug=slug))
    urls = _membership_urls(api_request, [committee.pk])
    data = api_request.serializer.organization(committee, urls.get(committee.pk, []))
    return _json(data, modified=committee.modified)


def _people_data(api_request: ApiRequest, people: list) -> list[dict]:
    public_ids = [p.pk for p in people if p.is_public]
    rows_by_person: dict[int, list[dict]] = {}
    parties = {}
    if not api_request.params.omit_internal:
        rows = list(queries.public_memberships().filter(person_id__in=public_ids))
        for row in rows:
            rows_by_person.setdefault(row["person_id"], []).append(row)
        parties = queries.membership_parties(rows)
    latest = queries.latest_parties(public_ids)
    names = Party.objects.names()
    return [
        api_request.serializer.person(
            p,
            memberships=rows_by_person.get(p.pk, []),
            parties=parties,
            party=latest.get(p.pk, ""),
            party_names=names,
        )
        for p in people
    ]


@api
def person_list(request):
    api_request = ApiRequest(request, listing=True)
    params = api_request.params
    people = queries.people()
    if not params.include_deleted:
        people = people.filter(is_public=True)
    page = paginate_queryset(people.filter(params.q()).order_by("pk"), params)
    return api_request.list_response(page, "person", _people_data(api_request, list(page.rows)))


@api
def person(request, slug: str):
    api_request = ApiRequest(request)
    found = _first(queries.people().filter(slug=slug))
    return _json(_people_data(api_request, [found])[0], modified=found.modified)


def _membership_data(api_request: ApiRequest, rows: list[dict]) -> list[dict]:
    parties = queries.membership_parties([row for row in rows if queries.is_public_row(row)])
    return [api_request.serializer.membership(row, parties.get(queries.membership_key(row), [])) for row in rows]


@api
def membership_list(request):
    api_request = ApiRequest(request, listing=True)
    params = api_request.params
    rows = queries.memberships() if params.include_deleted else queries.public_memberships()
    page = paginate_queryset(rows.filter(params.q()), params)
    return api_request.list_response(page, "membership", _membership_data(api_request, list(page.rows)))


@api
def membership(request, committee: str, term: int, person: str, role: str):
    api_request = ApiRequest(request)
    row = _first(
        queries.memberships().filter(
            meeting__committee__slug=committee, term_year=term, person__slug=person, role_key=role
        )
    )
    return _json(_membership_data(api_request, [row])[0], modified=row["modified"])


# --- meetings and agenda items -----------------------------------------------------------------------------------


def _meeting_page(api_request: ApiRequest, meetings, url: str) -> HttpResponse:
    params = api_request.params
    if not params.include_deleted:
        meetings = meetings.filter(is_public=True)
    page = paginate_queryset(queries.with_meeting_details(meetings.filter(params.q()).order_by("pk")), params)
    api_request.checksums.fill(files_of_meetings(m for m in page.rows if m.is_public))
    return api_request.list_response(page, url, [api_request.serializer.meeting(m) for m in page.rows])


@api
def meeting_list(request):
    api_request = ApiRequest(request, listing=True)
    return _meeting_page(api_request, queries.meetings(), api_request.links.list("meeting"))


@api
def organization_meetings(request, slug: str):
    api_request = ApiRequest(request, listing=True)
    committee = _first(queries.organizations().filter(slug=slug))
    meetings = queries.meetings().filter(committee=committee)
    return _meeting_page(api_request, meetings, api_request.links.organization_meetings(slug))


@api
def meeting(request, committee: str, date: dt.date):
    api_request = ApiRequest(request)
    found = _first(queries.with_meeting_details(queries.meetings().filter(committee__slug=committee, date=date)))
    if found.is_public:
        api_request.checksums.fill(files_of_meetings([found]))
    return _json(api_request.serializer.meeting(found), modified=found.modified)


def _case(committee: str, date: dt.date, number: int, queryset=None):
    queryset = queries.cases() if queryset is None else queryset
    return _first(queryset.filter(meeting__committee__slug=committee, meeting__date=date, number=number))


@api
def agenda_item_list(request):
    api_request = ApiRequest(request, listing=True)
    params = api_request.params
    # Those of a withdrawn meeting answer as deleted, listed only to a client updating its copy, like their meeting.
    cases = queries.cases()
    if not params.include_deleted:
        cases = cases.filter(is_public=True)
    page = paginate_queryset(queries.with_case_details(cases.filter(params.q()).order_by("pk")), params)
    api_request.checksums.fill(files_of_cases(c for c in page.rows if c.is_public))
    return api_request.list_response(page, "agendaitem", [api_request.serializer.agenda_item(c) for c in page.rows])


@api
def agenda_item(request, committee: str, date: dt.date, number: int):
    api_request = ApiRequest(request)
    case = _case(committee, date, number, queries.with_case_details(queries.cases()))
    if case.is_public:
        api_request.checksums.fill(files_of_cases([case]))
    return _json(api_request.serializer.agenda_item(case), modified=case.modified)


# --- papers and consultations ------------------------------------------------------------------------------------


def _load_cases(ids) -> dict:
    cases = queries.with_consultation_details(queries.cases().filter(pk__in=ids))
    return {case.pk: case for case in cases}


@api
def paper_list(request):
    api_request = ApiRequest(request, listing=True)
    params, links = api_request.params, api_request.links
    index = MatterIndex.load(include_withdrawn=params.include_deleted)
    page = paginate_list(index.paper_rows(params), params)
    members = {row.case_id: index.matters.cases_of(row.case_id) if not row.deleted else () for row in page.rows}
    cases = _load_cases({row.case_id for row in page.rows} | {c for ids in members.values() for c in ids})
    api_request.checksums.fill(files_of_cases(cases.values()))
    data = []
    for row in page.rows:
        case = cases[row.case_id]
        if row.deleted:
            data.append(deleted(links.paper_of(case), "Paper", row.created, row.modified))
        else:
            matter = [cases[c] for c in members[row.case_id]]
            data.append(api_request.serializer.paper(case, matter, created=row.created, modified=row.modified))
    return api_request.list_response(page, "paper", data)


def _matter_of(case):
    """(first case, every case, created, modified) of the matter of a published case."""
    matters = load_matters()
    ids = matters.cases_of(case.pk)
    cases = _load_cases(ids)
    matter = [cases[c] for c in ids]
    root = cases[matters.root_of(case.pk)]
    return root, matter, min(c.created for c in matter), max(c.modified for c in matter)


@api
def paper(request, committee: str, date: dt.date, number: int):
    api_request = ApiRequest(request)
    links = api_request.links
    case = _case(committee, date, number)
    if not case.is_public:
        return _json(deleted(links.paper_of(case), "Paper", case.created, case.modified), modified=case.modified)
    root, matter, created, modified = _matter_of(case)
    if root.pk != case.pk:
        # This case continues a matter that an earlier case names: its own paper, if it had one, is merged.
        return _json(deleted(links.paper_of(case), "Paper", case.created, modified), modified=modified)
    api_request.checksums.fill(files_of_cases(matter))
    return _json(api_request.serializer.paper(root, matter, created=created, modified=modified), modified=modified)


@api
def consultation_list(request):
    api_request = ApiRequest(request, listing=True)
    params = api_request.params
    index = MatterIndex.load(include_withdrawn=params.include_deleted)
    page = paginate_list(index.consultation_rows(params), params)
    roots = {row.case_id: index.matters.root_of(row.case_id) for row in page.rows}
    cases = _load_cases(set(roots) | set(roots.values()))
    data = [
        deleted(api_request.links.consultation_of(cases[row.case_id]), "Consultation", row.created, row.modified)
        if row.deleted
        else api_request.serializer.consultation(
            cases[row.case_id], root=cases[roots[row.case_id]], created=row.created, modified=row.modified
        )
        for row in page.rows
    ]
    return api_request.list_response(page, "consultation", data)


@api
def consultation(request, committee: str, date: dt.date, number: int):
    api_request = ApiRequest(request)
    case = _case(committee, date, number, queries.with_consultation_details(queries.cases()))
    if not case.is_public:
        # Withdrawn with its meeting, like its agenda item.
        data = deleted(api_request.links.consultation_of(case), "Consultation", case.created, case.modified)
        return _json(data, modified=case.modified)
    root, _, _, modified = _matter_of(case)
    data = api_request.serializer.consultation(case, root=root, created=case.created, modified=modified)
    return _json(data, modified=modified)


# --- files -------------------------------------------------------------------------------------------------------


def _deleted_file(api_request: ApiRequest, kind: str, file) -> dict:
    """The tombstone of a file that is no longer public (its meeting withdrawn)."""
    links = api_request.links
    return deleted(
        links.file(kind, file.pk), "File", file.created, file.modified, accessUrl=links.file_access(kind, file.pk)
    )


def _protocol_data(api_request: ApiRequest, source) -> dict:
    if not source.is_public:
        return _deleted_file(api_request, PROTOCOL, source)
    return api_request.serializer.protocol_file(source, source.meeting, size=source.size, modified=source.modified)


def _document_data(api_request: ApiRequest, document, links_to: list) -> dict:
    if not document.is_public:
        return _deleted_file(api_request, DOCUMENT, document)
    return api_request.serializer.document_file(
        document, size=document.size, modified=document.modified, links_to=links_to
    )


@api
def file_list(request):
    """Protocols first, then documents, each by id: one list in a stable order."""
    api_request = ApiRequest(request, listing=True)
    params = api_request.params
    page = paginate_queryset(queries.file_rows(include_deleted=params.include_deleted, condition=params.q()), params)
    ids = {kind: [pk for k, pk, *_ in page.rows if k == kind] for kind in (PROTOCOL, DOCUMENT)}
    # Queried even when a page holds no file of a kind, so that every page costs the same.
    protocols = {s.pk: s for s in queries.protocol_files().filter(pk__in=ids[PROTOCOL] or [_NO_ID])}
    documents = {d.pk: d for d in queries.document_files().filter(pk__in=ids[DOCUMENT] or [_NO_ID])}
    document_links = queries.document_links(ids[DOCUMENT] or [_NO_ID])
    api_request.checksums.fill(
        [(PROTOCOL, s.pk, s.sha256) for s in protocols.values() if s.is_public]
        + [(DOCUMENT, d.pk, d.sha256) for d in documents.values() if d.is_public]
    )
    data = [
        _protocol_data(api_request, protocols[pk])
        if kind == PROTOCOL
        else _document_data(api_request, documents[pk], document_links.get(pk, []))
        for kind, pk, *_ in page.rows
    ]
    return api_request.list_response(page, "file", data)


def _file(kind: str, pk: int):
    if kind == PROTOCOL:
        return _first(queries.protocol_files().filter(pk=pk))
    if kind == DOCUMENT:
        return _first(queries.document_files().filter(pk=pk))
    raise Http404


@api
def file(request, kind: str, pk: int):
    api_request = ApiRequest(request)
    found = _file(kind, pk)
    if found.is_public:
        api_request.checksums.fill([(kind, found.pk, found.sha256)])
    if kind == PROTOCOL:
        data = _protocol_data(api_request, found)
    else:
        data = _document_data(api_request, found, queries.document_links([pk]).get(pk, []))
    return _json(data, modified=found.modified)


def _file_bytes(kind: str, pk: int, *, download: bool) -> HttpResponse:
    found = _file(kind, pk)
    if not found.is_public:
        # OParl 1.1 §2.12: a deleted file answers 410 Gone.
        return _json({"error": "Gone."}, status=410)
    content = bytes(MODELS[kind].objects.values_list("content", flat=True).get(pk=pk))
    if kind == PROTOCOL:
        content_type = f"text/plain; charset={charset(found.encoding)}"
    elif found.content_type.startswith("text/"):
        content_type = f"{found.content_type}; charset={guess_text_charset(content)}"
    else:
        content_type = found.content_type
    return file_response(
        content,
        content_type=content_type,
        filename=found.filename,
        download=download,
        sha256=found.sha256,
        modified=found.modified,
    )


@require_safe
def file_access(request, kind: str, pk: int):
    """The file itself, to be shown in place (OParl `accessUrl`)."""
    return _file_bytes(kind, pk, download=False)


@require_safe
def file_download(request, kind: str, pk: int):
    """The file as a download with its name (OParl `downloadUrl`)."""
    return _file_bytes(kind, pk, download=True)
