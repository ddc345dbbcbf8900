"""The search form on the page is rendered from `SearchForm` and the filter set's form: their fields, labels, ids
and widgets — the quick select writing exactly the options Django's own select would."""

import re

import pytest
from django import forms
from django.http import QueryDict

from search.forms import SearchCriteria, SearchForm
from search.widgets import MemberInput, QuickSelect

pytestmark = pytest.mark.django_db

URL = "/soeg/"
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def form_html(client, params=None) -> str:
    html = client.get(URL, params or {}).content.decode()
    return html[html.index('<form class="search-form"') : html.index("</form>")]


def test_every_field_of_both_forms_is_on_the_page_with_its_label(client, archive):
    criteria = SearchCriteria(QueryDict())
    html = form_html(client)
    fields = [criteria.form["q"], *criteria.filterset.form, criteria.form["sort"]]
    assert [f.name for f in fields] == [
        "q",
        "committee",
        "date_from",
        "date_to",
        "year",
        "authority",
        "outcome",
        "member",
        "kind",
        "sort",
    ]
    for field in fields:
        assert f'<label for="id_{field.name}">{field.label}</label>' in html
        assert f'name="{field.name}"' in html and f'id="id_{field.name}"' in html
    # In the page's order: the query box first, the sort order last.
    positions = [html.index(f'name="{f.name}"') for f in fields]
    assert positions == sorted(positions)


def test_the_widgets_declared_in_the_forms_are_what_renders(client, archive):
    html = form_html(client)
    q = SearchForm.base_fields["q"].widget
    assert f'<input type="search" name="q" id="id_q" placeholder="{q.attrs["placeholder"]}">' in html
    assert '<input type="date" name="date_from" id="id_date_from">' in html
    assert '<input type="number" name="year" id="id_year" max="2200" min="1900" step="any">' in html
    member = re.search(r'<input type="text" name="member"[^>]*>\s*<datalist id="member-suggestions">', html).group()
    for attribute in ('list="member-suggestions"', 'data-suggestions="/soeg/medlemmer.json"', 'autocomplete="off"'):
        assert attribute in member
    assert 'placeholder="Alle · skriv et navn"' in member
    # Every field sits in the wrapper the page's CSS lays out.
    assert html.count('<div class="search-form__field">') == 9
    assert '<div class="search-form__query">' in html


def test_a_quick_select_writes_the_options_djangos_select_writes():
    choices = [("", "Alle"), ("KB", "KB – Kommunalbestyrelsen"), ("ØU", "ØU – Økonomiudvalget"), ("<x>", "a & b")]
    quick = forms.ChoiceField(choices=choices, widget=QuickSelect).widget
    django = forms.ChoiceField(choices=choices, widget=forms.Select).widget
    for value in ("", "ØU", "<x>", "missing"):
        quick_html = quick.render("authority", value, {"id": "id_authority"})
        django_html = django.render("authority", value, {"id": "id_authority"})
        assert OPTION.findall(quick_html) == OPTION.findall(django_html)
        assert quick_html.startswith('<select name="authority" id="id_authority">')
    assert '<option value="&lt;x&gt;" selected>a &amp; b</option>' in quick.render("authority", "<x>")


def test_a_quick_select_of_grouped_choices_falls_back_to_djangos_markup():
    choices = [("Udvalg", [("KB", "Kommunalbestyrelsen")])]
    html = QuickSelect(choices=choices).render("committee", "KB")
    assert '<optgroup label="Udvalg">' in html and 'value="KB" selected' in html


def test_the_member_field_shows_what_was_typed_until_it_names_one_member(client, archive):
    assert 'name="member" id="id_member" value="Jan Kongebro"' in form_html(client, {"member": "kongeb"})
    # Several members share "an": the text stays as typed (whitespace collapsed) and the error says why.
    assert 'name="member" id="id_member" value="an"' in form_html(client, {"member": "  an "})
    page = client.get(URL, {"member": "  an "}).content.decode()
    assert "Medlem til stede: Flere medlemmer matcher “an”" in page and "Skriv hele navnet" in page
    empty = re.search(r'<input type="text" name="member"[^>]*>', form_html(client)).group()
    assert "value=" not in empty
    assert isinstance(SearchCriteria(QueryDict()).filterset.form.fields["member"].widget, MemberInput)
