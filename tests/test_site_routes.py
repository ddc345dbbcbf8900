"""Route smoke test: every public URL pattern of the site answers 200 with real imported objects."""

import pytest
from django.urls import get_resolver, reverse

SITE_NAMESPACES = ("web",)


def site_routes(archive) -> dict[str, str]:
    """One real URL per named route of the site's namespaces."""
    meeting = archive["2020-08-11"].meeting
    committee, date = meeting.committee.slug, meeting.date
    return {
        "web:home": reverse("web:home"),
        "web:about": reverse("web:about"),
        "web:committee_list": reverse("web:committee_list"),
        "web:committee_detail": reverse("web:committee_detail", kwargs={"slug": committee}),
        "web:meeting_list": reverse("web:meeting_list"),
        "web:person_list": reverse("web:person_list"),
        "web:person_detail": reverse("web:person_detail", kwargs={"slug": "michel-berg"}),
        "web:meeting_detail": reverse("web:meeting_detail", kwargs={"committee": committee, "date": date}),
        "web:meeting_original": reverse("web:meeting_original", kwargs={"committee": committee, "date": date}),
        "web:meeting_history": reverse("web:meeting_history", kwargs={"committee": committee, "date": date}),
        "web:meeting_version_text": reverse(
            "web:meeting_version_text", kwargs={"committee": committee, "date": date, "pk": meeting.source_id}
        ),
        "web:case_detail": reverse("web:case_detail", kwargs={"committee": committee, "date": date, "number": 30}),
        "web:meeting_feed": reverse("web:meeting_feed"),
        "web:committee_feed": reverse("web:committee_feed", kwargs={"slug": committee}),
        "web:case_feed": reverse("web:case_feed", kwargs={"committee": committee, "date": date, "number": 30}),
        "web:meeting_calendar": reverse("web:meeting_calendar"),
        "web:committee_calendar": reverse("web:committee_calendar", kwargs={"slug": committee}),
        "web:data": reverse("web:data"),
        "web:search": reverse("web:search") + "?q=beskæftigelse",
        "web:members": reverse("web:members") + "?q=mic",
    }


def registered_route_names() -> set[str]:
    names = set()
    for namespace in SITE_NAMESPACES:
        _, resolver = get_resolver().namespace_dict[namespace]
        names |= {f"{namespace}:{name}" for name in resolver.reverse_dict if isinstance(name, str)}
    return names


@pytest.mark.django_db
def test_every_site_route_is_covered_and_answers_200(archive, client):
    routes = site_routes(archive)
    assert set(routes) == registered_route_names()
    for name, url in routes.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)


def test_permalinks_read_as_documented():
    import datetime as dt

    assert reverse("web:home") == "/"
    assert reverse("web:about") == "/om/"
    assert reverse(
        "web:meeting_detail", kwargs={"committee": "beskaeftigelsesudvalget", "date": dt.date(2020, 8, 11)}
    ) == ("/moeder/beskaeftigelsesudvalget/2020-08-11/")
    assert (
        reverse(
            "web:case_detail",
            kwargs={"committee": "beskaeftigelsesudvalget", "date": dt.date(2020, 8, 11), "number": 30},
        )
        == "/moeder/beskaeftigelsesudvalget/2020-08-11/sag/30/"
    )
    assert reverse("web:person_detail", kwargs={"slug": "jan-kongebro"}) == "/personer/jan-kongebro/"
    assert reverse("web:committee_feed", kwargs={"slug": "kommunalbestyrelsen"}) == "/udvalg/kommunalbestyrelsen/feed/"
