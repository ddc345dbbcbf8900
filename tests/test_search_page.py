"""The search page for people: filters folded with the active ones as removable chips, filter errors named in
Danish, a start date after the end date refused, a shared address with only the parameters in use, a heading
that does not double a phrase's quotes, snippets that show the phrase and mark cut text, `ord*` explained."""

import re

import pytest

pytestmark = pytest.mark.django_db

URL = "/soeg/"


def page(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_a_submitted_form_is_redirected_to_an_address_with_only_the_parameters_in_use(client, archive):
    submitted = {"q": "klausul", "committee": "", "date_from": "", "date_to": "", "year": "2019", "authority": ""}
    response = client.get(URL, {**submitted, "outcome": "", "member": "", "kind": "", "sort": "relevance"})
    assert response.status_code == 302
    assert response["Location"] == "/soeg/?q=klausul&year=2019"
    assert client.get(URL, {"q": "klausul", "page": "1"})["Location"] == "/soeg/?q=klausul"
    assert client.get(URL, {"q": "", "sort": ""})["Location"] == "/soeg/"
    # What is in use stays, in the order given.
    assert client.get(URL, {"year": "2019", "q": "klausul", "sort": "newest"}).status_code == 200


def test_filters_are_folded_into_a_panel_after_the_query_box(client, archive):
    _, html = page(client, {"q": "klausul"})
    panel = re.search(r"<details class=\"search-filters\"[^>]*>", html).group()
    assert " open" not in panel and "data-open-wide" in panel
    assert "<summary>Afgræns søgningen</summary>" in html
    assert html.index('id="id_q"') < html.index("Afgræns søgningen") < html.index('id="id_committee"')


def test_active_filters_are_chips_that_remove_themselves(client, archive):
    response, html = page(client, {"q": "klausul", "committee": "beskaeftigelsesudvalget", "year": "2019"})
    chips = response.context["criteria"].active_filters
    assert [(c.label, c.value, c.remove_url) for c in chips] == [
        ("Udvalg", "Beskæftigelsesudvalget", "/soeg/?q=klausul&year=2019"),
        ("Årstal", "2019", "/soeg/?q=klausul&committee=beskaeftigelsesudvalget"),
    ]
    assert '<ul class="search-chips" aria-label="Aktive afgrænsninger">' in html
    label = "Fjern afgrænsningen Udvalg: Beskæftigelsesudvalget"
    assert f'<a href="/soeg/?q=klausul&amp;year=2019" aria-label="{label}">' in html
    assert 'Afgræns søgningen <span class="search-filters__count">(2 aktive)</span>' in html
    # Dates and members read as people write them.
    chips = page(client, {"date_from": "2020-01-01", "member": "kongeb"})[0].context["criteria"].active_filters
    assert [(c.label, c.value) for c in chips] == [("Fra dato", "1. januar 2020"), ("Medlem til stede", "Jan Kongebro")]


def test_filter_errors_name_their_field_in_danish_and_open_the_panel(client, archive):
    response, html = page(client, {"year": "tyve"})
    assert response.context["criteria"].filter_errors == ["Årstal: Indtast et tal."]
    assert '<ul class="search-form__error" role="alert"><li>Årstal: Indtast et tal.</li></ul>' in html
    assert re.search(r'<details class="search-filters" data-open-wide open>', html)
    assert response.context["results"].total == 0


def test_a_start_date_after_the_end_date_is_an_error_not_an_empty_result(client, archive):
    response, html = page(client, {"date_from": "2022-01-01", "date_to": "2020-12-31"})
    assert response.context["criteria"].filter_errors == ["Til dato: Datoen ligger før fra-datoen."]
    assert "Til dato: Datoen ligger før fra-datoen." in html
    assert page(client, {"date_from": "2020-01-01", "date_to": "2020-12-31"})[0].context["results"].total == 6


def test_the_heading_does_not_double_the_quotes_of_a_phrase(client, archive):
    _, html = page(client, {"q": '"sociale klausuler"'})
    heading = re.search(r'<h2 id="search-results-heading">(.*?)</h2>', html, re.S).group(1)
    assert " ".join(heading.split()) == "1 sag matcher “sociale klausuler”"
    assert "<title>Søgning: sociale klausuler" in html
    _, html = page(client, {"q": 'klausul "sociale klausuler"'})
    heading = re.search(r'<h2 id="search-results-heading">(.*?)</h2>', html, re.S).group(1)
    assert "“klausul &quot;sociale klausuler&quot;”" in " ".join(heading.split())


def test_a_phrase_snippet_shows_the_phrase(client, archive):
    response, html = page(client, {"q": '"sociale klausuler"'})
    snippet = response.context["results"].documents[0].snippet
    plain = snippet.replace("\ue000", "[").replace("\ue001", "]")
    # SQLite marks the phrase as one; PostgreSQL's ts_headline marks its words, side by side.
    assert re.search(r"\[sociale klausuler\]|\[sociale\] \[klausuler\]", plain, re.I), plain
    assert re.search(r"<mark>sociale klausuler</mark>|<mark>sociale</mark> <mark>klausuler</mark>", html, re.I)


def test_cut_text_is_marked_with_an_ellipsis(client, archive):
    # Sag 37's text begins with its recommendation, which has the word: the snippet starts there, without "…",
    # and ends with "…" since the text goes on; two fragments are joined by " … ".
    snippet = page(client, {"q": "klausuler"})[0].context["results"].documents[0].snippet
    assert snippet.startswith("Anbefales.") and snippet.endswith(" …") and " … " in snippet[:-2], snippet
    # "Wigan" is deep in an attachment of sag 30: text is left out before and after.
    snippet = page(client, {"q": "Wigan"})[0].context["results"].documents[0].snippet
    assert snippet.startswith("… ") and snippet.endswith(" …") and "\ue000Wigan\ue001" in snippet, snippet


def test_how_to_search_explains_prefixes_and_compounds(client, archive):
    _, html = page(client, {})
    help_text = html[html.index("Sådan søger du") : html.index("</details>", html.index("Sådan søger du"))]
    assert "<code>klimatil*</code>" in help_text and "mindst tre bogstaver" in help_text
    assert "skole finder folkeskolen" in help_text and '<code>"skole"</code>' in help_text


def test_a_prefix_finds_every_word_that_begins_so(client, archive):
    assert page(client, {"q": "klausul*"})[0].context["results"].total == 1
    assert page(client, {"q": "beskæft*"})[0].context["results"].total == 13
    # Too short to be a prefix: read as the word "be".
    assert page(client, {"q": "be*"})[0].context["results"].total == 0
