"""The index follows every write: imports (new, changed, removed cases), attachment linking, admin edits."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Decision
from importer.load import protocol_import
from search.index import index_cases
from search.models import SearchDocument, SearchWord
from search.query import parse
from search.services import Search

pytestmark = pytest.mark.django_db


def found(q):
    return sorted(
        f"{d.meeting_date:%Y-%m-%d}/{d.number}" for d in Search(parse(q)).matching(SearchDocument.objects.published())
    )


def fts_rowids():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM search_fts ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


def test_import_indexes_every_case_with_its_denormalised_fields(archive):
    assert SearchDocument.objects.count() == Case.objects.count() == 20
    doc = SearchDocument.objects.get(number=37)
    assert (doc.meeting_date.isoformat(), doc.committee.slug, doc.authority, doc.outcome) == (
        "2019-10-08",
        "beskaeftigelsesudvalget",
        "KB",
        "recommended",
    )
    assert doc.title.startswith("Status på samarbejde med virksomheder")
    assert doc.text_b.startswith("Anbefales.") and "at sociale klausuler fremover anvendes" in doc.text_b
    assert "Sagsfremstilling" in doc.text_c and "Bilag - Sociale Klausuler 2019" in doc.text_d
    if connection.vendor == "postgresql":
        assert not SearchDocument.objects.filter(vector__isnull=True).exists()
    else:
        assert fts_rowids() == sorted(SearchDocument.objects.values_list("pk", flat=True))


def test_attachment_linked_after_the_protocol_is_indexed_with_the_case(archive):
    doc = SearchDocument.objects.get(meeting_date="2020-08-11", number=30)
    assert "Wigan" in doc.text_d
    assert found("Wigan") == ["2020-08-11/30"]


def test_reimport_updates_changed_cases_and_removes_deleted_ones(archive, protocol_bytes):
    # Sag 49 says "diverse AMU-kurser"; the three "Diverse" items are the other hits.
    assert found("Diverse") == ["2019-10-08/42", "2020-08-11/34", "2022-11-15/49", "2022-11-15/51"]
    text = protocol_bytes("2022-11-15").decode("utf-8")
    text = text.replace("Design af brugerundersøgelse i Jobcentret", "Design af tilfredshedsmåling i Jobcentret")
    text = text.replace(
        " Diverse\nSag nr. 51\nBeslutningskompetence: BEU\nSagens kerne\nBeslutning\nTaget til efterretning.\n", "\n"
    ).replace("Sager 45 - 51", "Sager 45 - 50")
    result = protocol_import(content=text.encode("utf-8"), filename="rettet.txt")
    assert result.status == "updated" and result.diff.removed == [51] and 46 in result.diff.changed
    assert found("tilfredshedsmåling") == ["2022-11-15/46"]
    assert found("Diverse") == ["2019-10-08/42", "2020-08-11/34", "2022-11-15/49"]
    assert SearchDocument.objects.count() == 19
    if connection.vendor == "sqlite":
        assert fts_rowids() == sorted(SearchDocument.objects.values_list("pk", flat=True))


def test_admin_edit_of_a_decision_reindexes_its_case(archive, admin_client):
    decision = Decision.objects.get(case__meeting__date="2022-11-15", case__number=46)
    response = admin_client.post(
        f"/admin/cases/decision/{decision.pk}/change/",
        {"case": decision.case_id, "text": "Godkendt med tilføjelse om fokusgrupper.", "outcome": "approved"},
    )
    assert response.status_code == 302
    assert found("fokusgrupper") == ["2022-11-15/46"]
    assert SearchDocument.objects.get(pk=decision.case_id).outcome == "approved"


def test_admin_delete_of_a_case_removes_it_from_the_index(archive, admin_client):
    case = Case.objects.get(meeting__date="2022-11-15", number=46)
    response = admin_client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert found("brugerundersøgelse") == []
    if connection.vendor == "sqlite":
        assert case.pk not in fts_rowids()


def test_the_models_whose_edits_change_the_index_are_registered_once_with_reindexing_admins():
    from django.contrib import admin

    from cases.admin import CaseAdmin
    from cases.models import Attachment, AttachmentDocument
    from meetings.admin import MeetingAdmin
    from meetings.models import Meeting
    from search.admin import ReindexMixin

    for model in (Case, Decision, Attachment, AttachmentDocument, Meeting):
        assert isinstance(admin.site.get_model_admin(model), ReindexMixin), model
    # The domain apps' classes with their options, registered by the search app (which may import them).
    assert isinstance(admin.site.get_model_admin(Case), CaseAdmin)
    assert isinstance(admin.site.get_model_admin(Meeting), MeetingAdmin)


def test_index_cases_is_idempotent_and_ignores_unknown_ids(archive):
    ids = list(Case.objects.values_list("pk", flat=True))
    assert index_cases([*ids, 999999]) == 20
    assert found("sociale klausuler") == ["2019-10-08/37"]


def test_rebuild_command(archive, capsys):
    SearchDocument.objects.all().delete()
    assert found("klausul") == []
    call_command("rebuild_search_index")
    assert "Indexed 20 cases." in capsys.readouterr().out
    assert found("klausul") == ["2019-10-08/37"]


# The stored vectors restated from the documents' own columns, as migrations 0005, 0006 and 0009 define them
# (`||` is left-associative: the same fold the engine writes). Rows where a vector differs are counted.
PG_VECTORS_DIFFERING = """
    SELECT count(*) FROM search_searchdocument AS d WHERE d.vector IS DISTINCT FROM (
        setweight(to_tsvector('danish', d.title), 'A') || setweight(to_tsvector('danish', d.text_b), 'B')
        || setweight(to_tsvector('danish', d.text_c), 'C') || setweight(to_tsvector('danish', d.text_d), 'D')
        || array_to_tsvector(ARRAY['zzs' || lpad((d.bucket / 16)::text, 2, '0')])
        || array_to_tsvector(ARRAY(SELECT '»' || p FROM unnest(string_to_array(NULLIF(d.parts, ''), ' ')) AS p))
    )
    OR d.match_vector IS DISTINCT FROM search_match_vector(d.vector)
    OR d.head_vector IS DISTINCT FROM
        setweight(to_tsvector('danish', d.title), 'A') || setweight(to_tsvector('danish', d.decision), 'B')
"""

DOCUMENT_WRITE = re.compile(r'(INSERT INTO|UPDATE|DELETE FROM) "?search_searchdocument\b')


def vocabulary_rows():
    """The vocabulary and, on SQLite, its trigram table's rows of the same id and word."""
    words = sorted(SearchWord.objects.values_list("word", flat=True))
    if connection.vendor != "sqlite":
        return words, None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_word_trigram AS t JOIN search_searchword AS w ON w.id = t.rowid "
            "AND w.word = t.word"
        )
        return words, cursor.fetchone()[0]


def pg_vectors_differing() -> int:
    with connection.cursor() as cursor:
        cursor.execute(PG_VECTORS_DIFFERING)
        return cursor.fetchone()[0]


def test_reindexing_writes_each_document_in_one_statement_that_stems_each_text_once(archive):
    ids = sorted(Case.objects.values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        assert pg_vectors_differing() == 0  # as the import wrote them
    with CaptureQueriesContext(connection) as queries:
        assert index_cases(ids) == 20
    writes = [q["sql"] for q in queries.captured_queries if DOCUMENT_WRITE.match(q["sql"])]
    # Overwritten in place: no delete of the documents and no second pass over the rows.
    assert len(writes) == 1 and writes[0].startswith("INSERT"), writes
    if connection.vendor == "postgresql":
        # title, text_b, text_c and text_d for `vector` (match_vector is derived from that value), title and
        # decision for `head_vector`: not the whole vector again inside match_vector.
        assert writes[0].count("to_tsvector('danish'") == 6
        assert pg_vectors_differing() == 0  # as overwritten in place
    else:
        assert fts_rowids() == ids


def test_reindexing_keeps_the_vocabulary_as_it_is(archive):
    before = vocabulary_rows()
    assert len(before[0]) > 100 and before[1] in (None, len(before[0]))
    with CaptureQueriesContext(connection) as queries:
        index_cases(Case.objects.values_list("pk", flat=True))
    assert vocabulary_rows() == before
    # Known words are left out in the database, in one statement, not sent back one model instance each.
    assert sum("search_searchword" in q["sql"] and "INSERT" in q["sql"] for q in queries.captured_queries) == 1
