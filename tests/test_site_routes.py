"""Route smoke test: every public URL pattern of the site answers 200 with real imported objects."""

import pytest
from django.urls import get_resolver, reverse

SITE_NAMESPACES = ("meetings", "cases")


def site_routes(archive) -> dict[str, str]:
    """One real URL per named route of the site's namespaces."""
    meeting = archive["2020-08-11"].meeting
    committee, date = meeting.committee.slug, meeting.date
    return {
        "meetings:home": reverse("meetings:home"),
        "meetings:about": reverse("meetings:about"),
        "meetings:committee_list": reverse("meetings:committee_list"),
        "meetings:committee_detail": reverse("meetings:committee_detail", kwargs={"slug": committee}),
        "meetings:meeting_list": reverse("meetings:meeting_list"),
        "meetings:person_list": reverse("meetings:person_list"),
        "meetings:person_detail": reverse("meetings:person_detail", kwargs={"slug": "michel-berg"}),
        "cases:meeting_detail": reverse("cases:meeting_detail", kwargs={"committee": committee, "date": date}),
        "cases:meeting_original": reverse("cases:meeting_original", kwargs={"committee": committee, "date": date}),
        "cases:case_detail": reverse("cases:case_detail", kwargs={"committee": committee, "date": date, "number": 30}),
        "cases:meeting_feed": reverse("cases:meeting_feed"),
        "cases:committee_feed": reverse("cases:committee_feed", kwargs={"slug": committee}),
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

    assert reverse("meetings:home") == "/"
    assert reverse("meetings:about") == "/om/"
    assert reverse(
        "cases:meeting_detail", kwargs={"committee": "beskaeftigelsesudvalget", "date": dt.date(2020, 8, 11)}
    ) == ("/moeder/beskaeftigelsesudvalget/2020-08-11/")
    assert (
        reverse(
            "cases:case_detail",
            kwargs={"committee": "beskaeftigelsesudvalget", "date": dt.date(2020, 8, 11), "number": 30},
        )
        == "/moeder/beskaeftigelsesudvalget/2020-08-11/sag/30/"
    )
    assert reverse("meetings:person_detail", kwargs={"slug": "jan-kongebro"}) == "/personer/jan-kongebro/"
    assert (
        reverse("cases:committee_feed", kwargs={"slug": "kommunalbestyrelsen"}) == "/udvalg/kommunalbestyrelsen/feed/"
    )
