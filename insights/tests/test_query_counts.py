"""SQL statements per coordinator page, pinned: figures come from snapshots, so a page costs a
handful of statements whatever the number of respondents (sign-in checks included: 4)."""

import pytest
from django.urls import reverse

from insights.orgreport import round_report
from roadmaps.services import add_item

from .helpers import named_round, twelve_colleagues


@pytest.fixture
def spring(version, utrecht):
    round_ = named_round(utrecht)
    twelve_colleagues(version, utrecht)
    round_report(round_)  # the snapshot and its breakdown exist, as after the first visit
    return round_


@pytest.mark.parametrize(
    ("name", "kwargs", "queries"),
    [
        ("insights:report", {}, 9),
        ("insights:groups", {}, 10),
        ("insights:trend", {}, 10),
        ("insights:present_screen", {"screen": 4}, 10),
    ],
)
def test_report_pages(coordinator_client, django_assert_num_queries, spring, name, kwargs, queries):
    url = reverse(name, kwargs={"round_id": spring.pk, **kwargs})
    coordinator_client.get(url)
    with django_assert_num_queries(queries):
        assert coordinator_client.get(url).status_code == 200


def test_roadmap_page_with_items(coordinator_client, django_assert_num_queries, spring, utrecht):
    report = round_report(spring)
    for row in report.context["rows"][:5]:
        add_item(utrecht, row.statement, report.snapshot, row.current.figure, row.desired.figure, by="test")
    url = reverse("roadmaps:roadmap", kwargs={"code": "GM0344"})
    coordinator_client.get(url)
    # Five items share one starting point: one look for a later round, not one per item.
    with django_assert_num_queries(14):
        assert coordinator_client.get(url).status_code == 200
