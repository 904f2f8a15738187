"""A municipality appears by name in the open data only after its coordinator opted in, and never
with a figure from which another municipality's could be derived."""

import pytest

from analysis.models import OpenDataOptIn
from analysis.opendata import published_municipalities
from analysis.tests.helpers import counts, snapshot
from audit.models import AuditEvent
from organisations.models import Municipality

pytestmark = pytest.mark.django_db


def opt_in(code):
    OpenDataOptIn.objects.create(municipality=Municipality.objects.get(pk=code))


@pytest.fixture
def seven_in_utrecht_province(version):
    """Seven municipalities of the province of Utrecht reach K (n = 5 each, now 3x5)."""
    codes = ["GM0344", "GM0307", "GM0355", "GM0308", "GM0310", "GM0312", "GM0313"]
    for code in codes:
        snapshot(code, counts(3, 5), counts(4, 5))
    return codes


def test_nothing_by_name_without_consent(seven_in_utrecht_province, version):
    assert published_municipalities(version) == []


def test_a_municipality_that_opted_in_is_published_with_its_figures(seven_in_utrecht_province, version):
    opt_in("GM0344")
    (result,) = published_municipalities(version)
    assert result.group.key == "municipality-GM0344" and result.shown
    first = result.statements[0]
    assert first.current.shown and first.current.n == 5 and float(first.current.mean) == 3.0


def test_a_figure_that_would_reveal_others_by_subtraction_is_left_out(version):
    """National holds four municipalities (all in the province of Utrecht): publishing one leaves 3
    (allowed); publishing two would leave 2 (national minus the two gives the other two's sum), so
    at most one of them keeps its figure, and national minus what is shown leaves 0 or at least 3."""
    for code in ["GM0344", "GM0307", "GM0355", "GM0308"]:
        snapshot(code, counts(3, 5), counts(4, 5))
    opt_in("GM0344")
    (one,) = published_municipalities(version)
    assert one.statements[0].current.shown
    opt_in("GM0307")
    both = published_municipalities(version)
    assert len(both) == 2
    shown = [result for result in both if result.statements[0].current.shown]
    assert len(shown) <= 1
    left_out = 4 - len(shown)
    assert left_out == 0 or left_out >= 3
    for result in both:
        if not result.statements[0].current.shown:
            assert result.statements[0].current.reason == "small_complement"
            assert not result.themes[0].current.shown


def test_a_municipality_below_k_is_not_published(version):
    snapshot("GM0344", counts(3, 4), counts(4, 4), n_responses=4)
    opt_in("GM0344")
    assert published_municipalities(version) == []


def test_open_data_files_carry_the_published_municipality(client, seven_in_utrecht_province, version):
    opt_in("GM0344")
    body = client.get("/open-data/2026.1/aggregates.json").json()
    assert [m["group"]["key"] for m in body["municipalities"]] == ["municipality-GM0344"]
    csv_text = client.get("/open-data/2026.1/aggregates.csv").content.decode()
    assert "municipality-GM0344" in csv_text and "municipality-GM0307" not in csv_text


def test_coordinator_opts_in_and_out_with_audit(coordinator_client, utrecht):
    page = coordinator_client.get("/coordinator/GM0344/open-data/")
    assert page.status_code == 200
    coordinator_client.post("/coordinator/GM0344/open-data/", {"choice": "in"})
    assert OpenDataOptIn.objects.filter(municipality=utrecht).exists()
    coordinator_client.post("/coordinator/GM0344/open-data/", {"choice": "out"})
    assert not OpenDataOptIn.objects.exists()
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "open_data.opted_in",
        "open_data.opted_out",
    ]


def test_nobody_else_decides_for_a_municipality(coordinator_client, amersfoort):
    from django.test import Client

    assert coordinator_client.post("/coordinator/GM0307/open-data/", {"choice": "in"}).status_code == 403
    assert Client().post("/coordinator/GM0344/open-data/", {"choice": "in"}).status_code == 302
    assert not OpenDataOptIn.objects.exists()
