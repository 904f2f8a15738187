"""The privacy model's table, for every page of the organisation report and the roadmap:

- department / role breakdown and the municipality's aggregate: its own coordinators only;
- an individual's levels: never (nothing below K, no distribution below 2K, groups folded);
- notes: never;
- anonymous visitors and respondents never reach a coordinator page.
"""

import pytest
from django.urls import reverse

from conftest import login, login_coordinator, make_coordinator
from roadmaps.models import RoadmapItem
from roadmaps.services import add_item

from .helpers import NOTE, colleague, named_round, twelve_colleagues


@pytest.fixture
def spring(version, utrecht):
    round_ = named_round(utrecht)
    twelve_colleagues(version, utrecht)
    return round_


@pytest.fixture
def item(spring, utrecht, version):
    from insights.orgreport import round_report

    report = round_report(spring)
    row = report.context["rows"][1]
    return add_item(utrecht, row.statement, report.snapshot, row.current.figure, row.desired.figure, by="test")[0]


def round_pages(round_):
    kwargs = {"round_id": round_.pk}
    return [
        reverse("insights:report", kwargs=kwargs),
        reverse("insights:groups", kwargs=kwargs),
        reverse("insights:groups", kwargs=kwargs) + "?by=role&scale=desired",
        reverse("insights:trend", kwargs=kwargs),
        reverse("insights:present", kwargs=kwargs),
        reverse("insights:present_screen", kwargs={**kwargs, "screen": 4}),
        reverse("insights:report_pdf", kwargs=kwargs),
    ]


def roadmap_pages(code, item_id):
    return [
        reverse("roadmaps:roadmap", kwargs={"code": code}),
        reverse("roadmaps:item", kwargs={"code": code, "item_id": item_id}),
        reverse("roadmaps:csv", kwargs={"code": code}),
        reverse("roadmaps:pdf", kwargs={"code": code}),
    ]


def posts(code, item_id, round_id):
    return [
        (reverse("roadmaps:add_item", kwargs={"code": code}), {"round": round_id, "statement": "x"}),
        (reverse("roadmaps:item", kwargs={"code": code, "item_id": item_id}), {"target_level": 4}),
        (reverse("roadmaps:remove_item", kwargs={"code": code, "item_id": item_id}), {}),
    ]


def test_own_coordinators_see_every_page(coordinator_client, spring, item):
    for url in round_pages(spring) + roadmap_pages("GM0344", item.pk):
        page = coordinator_client.get(url)
        assert page.status_code == 200, url
        body = page.content
        assert NOTE.encode() not in body, url


def test_another_municipalitys_coordinator_is_refused_everywhere(client, spring, item, amersfoort):
    login_coordinator(client, make_coordinator("anna@amersfoort.nl", amersfoort))
    for url in round_pages(spring) + roadmap_pages("GM0344", item.pk):
        assert client.get(url).status_code == 403, url
    for url, data in posts("GM0344", item.pk, spring.pk):
        assert client.post(url, data).status_code == 403, url
    # Through their own municipality's address, Utrecht's item does not exist.
    assert client.get(reverse("roadmaps:item", kwargs={"code": "GM0307", "item_id": item.pk})).status_code == 404
    assert (
        client.post(reverse("roadmaps:remove_item", kwargs={"code": "GM0307", "item_id": item.pk})).status_code == 404
    )
    # A round of Utrecht cannot be the source of Amersfoort's proposals.
    refused = client.post(
        reverse("roadmaps:add_item", kwargs={"code": "GM0307"}), {"round": spring.pk, "statement": item.lineage}
    )
    assert refused.status_code == 400
    assert not RoadmapItem.objects.filter(roadmap__municipality=amersfoort).exists()
    assert RoadmapItem.objects.filter(pk=item.pk).exists()


def test_a_coordinator_of_both_sees_both(client, spring, item, amersfoort):
    login_coordinator(client, make_coordinator("bert@example.nl", spring.municipality, amersfoort))
    assert client.get(round_pages(spring)[0]).status_code == 200
    assert client.get(reverse("roadmaps:roadmap", kwargs={"code": "GM0307"})).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, spring, item):
    for url in round_pages(spring) + roadmap_pages("GM0344", item.pk):
        page = client.get(url)
        assert page.status_code == 302 and page["Location"].startswith("/coordinator/login/"), url
    for url, data in posts("GM0344", item.pk, spring.pk):
        assert client.post(url, data).status_code == 302, url
    assert RoadmapItem.objects.filter(pk=item.pk).exists()


def test_a_respondent_session_opens_no_coordinator_page(client, spring, item, version, utrecht):
    respondent = colleague(version, utrecht, "resp@utrecht.nl", 3, 4)
    login(client, respondent)
    for url in round_pages(spring) + roadmap_pages("GM0344", item.pk):
        assert client.get(url).status_code == 302, url


def test_a_password_without_the_second_factor_is_not_enough(client, spring, coordinator):
    client.force_login(coordinator)
    assert client.get(round_pages(spring)[0]).status_code == 302


def test_unknown_rounds_and_items_are_404(coordinator_client, spring):
    assert coordinator_client.get(reverse("insights:report", kwargs={"round_id": 999999})).status_code == 404
    url = reverse("roadmaps:item", kwargs={"code": "GM0344", "item_id": 999999})
    assert coordinator_client.get(url).status_code == 404


def test_with_exactly_k_colleagues_no_individual_level_can_be_read(coordinator_client, version, utrecht):
    """K people: averages (with n) only. No counts per level, no quartiles (they need 2K), and
    every department of fewer than K folded, so no page shows what one person answered."""
    round_ = named_round(utrecht)
    departments = ["Finance", "Finance", "Finance", "IT", "IT"]
    for i, department in enumerate(departments):
        colleague(version, utrecht, f"k{i}@utrecht.nl", 1 + i, 5 - i, department=department, note=NOTE)
    coordinator_client.cookies["django_language"] = "en"
    from insights import groups
    from insights.orgreport import round_report

    report = round_report(round_)
    for row in report.context["rows"]:
        for _, figures in row.scales:
            assert figures.figure.shown and figures.figure.n == 5
            assert not figures.distribution.shown and not figures.disagreement.shown
    for by in ("department", "domain", "role"):
        for scale in ("current", "desired"):
            view = groups.build(report.context["version"], report.snapshot, by, scale)
            for group_row in view["group_rows"]:
                shown = [cell for cell in group_row.cells if cell is not None]
                assert all(cell.n >= 5 for cell in shown)
                assert group_row.other is None or group_row.other.n >= 5
    html = coordinator_client.get(reverse("insights:report", kwargs={"round_id": round_.pk})).content.decode()
    assert "merged-label" not in html and 'colspan="1"' not in html  # no counts per level at all
    for url in round_pages(round_):
        assert NOTE.encode() not in coordinator_client.get(url).content
