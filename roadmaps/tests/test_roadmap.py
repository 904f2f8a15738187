"""The roadmap: proposals from the organisation report, items with defaults, editing, the
timeline, exports (CSV and PDF, logged) and progress measured by a later round."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from insights.orgreport import round_report
from insights.tests.helpers import NOTE, colleague, named_round, twelve_colleagues
from roadmaps import roadmap as reading
from roadmaps.models import RoadmapItem
from rounds import services as round_services
from rounds.models import Department

D = Decimal


@pytest.fixture
def spring(version, utrecht):
    round_ = named_round(utrecht)
    twelve_colleagues(version, utrecht)
    return round_


def url(name, **kwargs):
    return reverse(f"roadmaps:{name}", kwargs={"code": "GM0344", **kwargs})


def add(client, round_, key):
    statement = round_report(round_).context["rows"]
    lineage = next(row.statement.lineage for row in statement if row.statement.key == key)
    return client.post(url("add_item"), {"round": round_.pk, "statement": lineage})


def test_proposals_come_in_priority_order(coordinator_client, spring, utrecht):
    context = reading.build(utrecht, spring)
    # A2 (gap 3.0) first; then the gaps of 1.0: lowest level now first: A1 is at 3.0 like the
    # others, but with the largest disagreement (2.5); then statement order.
    keys = [proposal["row"].statement.key for proposal in context["proposals"]]
    assert keys[:4] == ["A2", "A1", "A3", "A4"]
    assert len(keys) == 21
    coordinator_client.cookies["django_language"] = "en"
    page = coordinator_client.get(url("roadmap"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Add A2 to the roadmap" in html and "proposed" in html


def test_adding_a_statement_proposes_a_target_and_actions(coordinator_client, spring, utrecht):
    page = add(coordinator_client, spring, "A2")
    item = RoadmapItem.objects.get()
    assert page.status_code == 302 and page["Location"] == url("item", item_id=item.pk)
    # A2: now 2.0, desired 5.0: target 5; actions: what levels 3, 4 and 5 ask.
    assert item.target_level == 5
    assert item.actions.splitlines()[0].startswith("3. ")
    assert [line[:2] for line in item.actions.splitlines()] == ["3.", "4.", "5."]
    assert item.statement.level_text(3) in item.actions
    assert item.baseline.round == spring
    assert (item.horizon, item.status) == ("1-3y", "planned")
    # Adding it again changes nothing.
    add(coordinator_client, spring, "A2")
    assert RoadmapItem.objects.count() == 1


def test_adding_refuses_unknown_statements_and_rounds(coordinator_client, spring):
    bad = coordinator_client.post(url("add_item"), {"round": spring.pk, "statement": "no-such"})
    assert bad.status_code == 400
    assert coordinator_client.post(url("add_item"), {"round": "abc", "statement": "x"}).status_code == 400
    assert coordinator_client.get(url("roadmap"), {"round": "999999"}).status_code == 400
    assert not RoadmapItem.objects.exists()


def test_editing_an_item(coordinator_client, spring, utrecht):
    Department.objects.create(municipality=utrecht, name="Stadsontwikkeling")
    add(coordinator_client, spring, "A1")
    item = RoadmapItem.objects.get()
    coordinator_client.cookies["django_language"] = "en"
    form = coordinator_client.get(url("item", item_id=item.pk)).content.decode()
    assert '<option value="Stadsontwikkeling">' in form
    data = {
        "target_level": 4,
        "horizon": "1y",
        "owner": "Stadsontwikkeling",
        "actions": "Visie laten vaststellen",
        "budget": "€ 40.000 uit het programma",
        "partners": "Provincie",
        "indicator": "Vastgestelde visie",
        "status": "in_progress",
    }
    assert coordinator_client.post(url("item", item_id=item.pk), data).status_code == 302
    item.refresh_from_db()
    assert (item.target_level, item.horizon, item.owner, item.status) == (4, "1y", "Stadsontwikkeling", "in_progress")
    wrong = coordinator_client.post(url("item", item_id=item.pk), {**data, "target_level": 7, "owner": "Nobody"})
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert "Choose a target level from 1 to 5." in html and "Choose a department from the list." in html
    item.refresh_from_db()
    assert item.target_level == 4


def test_the_timeline_shows_the_phases_in_order(coordinator_client, spring, utrecht):
    add(coordinator_client, spring, "A1")
    add(coordinator_client, spring, "A2")
    RoadmapItem.objects.filter(statement__key="A2").update(horizon="now")
    phases = reading.build(utrecht)["timeline"]
    assert [phase["horizon"] for phase in phases] == ["now", "1y", "1-3y", "3-5y"]
    assert [[v.item.statement.key for v in phase["items"]] for phase in phases] == [["A2"], [], ["A1"], []]
    coordinator_client.cookies["django_language"] = "en"
    html = coordinator_client.get(url("roadmap")).content.decode()
    assert html.index("Within 1 year") < html.index("1 to 3 years") < html.index("3 to 5 years")


def test_removing_an_item(coordinator_client, spring):
    add(coordinator_client, spring, "A1")
    item = RoadmapItem.objects.get()
    assert coordinator_client.get(url("remove_item", item_id=item.pk)).status_code == 405
    assert coordinator_client.post(url("remove_item", item_id=item.pk)).status_code == 302
    assert not RoadmapItem.objects.exists()


def test_csv_export(coordinator_client, spring):
    add(coordinator_client, spring, "A2")
    RoadmapItem.objects.update(owner="=HYPERLINK(1)", partners="Provincie; regio")
    coordinator_client.cookies["django_language"] = "en"
    page = coordinator_client.get(url("csv"))
    assert page.status_code == 200
    assert page["Content-Type"] == "text/csv; charset=utf-8"
    text = page.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:6] == ["Statement", "Topic", "Theme", "Level now at the start", "n at the start", "Target level"]
    assert rows[1][0] == "A2" and rows[1][3:6] == ["2.0", "12", "5"]
    assert rows[1][7] == "'=HYPERLINK(1)" and rows[1][10] == "Provincie; regio"
    assert NOTE not in text
    event = AuditEvent.objects.get(action="export.roadmap_csv")
    assert (event.municipality, event.detail["count"]) == ("GM0344", 1)


def test_pdf_export(coordinator_client, spring):
    from pypdf import PdfReader

    add(coordinator_client, spring, "A2")
    coordinator_client.cookies["django_language"] = "en"
    page = coordinator_client.get(url("pdf"))
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.content)).pages)
    assert "Smart city roadmap" in text and "A2." in text and "1 to 3 years" in text
    assert AuditEvent.objects.filter(action="export.roadmap_pdf", municipality="GM0344").count() == 1


def close(round_, days_ago=30):
    round_.closes_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    round_.opens_on = round_.closes_on - datetime.timedelta(days=10)
    round_.save()
    assert round_services.finalise(round_)


def test_a_later_round_shows_progress_toward_the_target(coordinator_client, version, spring, utrecht):
    add(coordinator_client, spring, "A2")  # now 2.0 (n=12), target 5
    add(coordinator_client, spring, "A1")  # now 3.0 (n=12)
    RoadmapItem.objects.filter(statement__key="A1").update(target_level=4)
    close(spring)
    # Before a later round: nothing to compare with.
    views = {v.item.statement.key: v for v in reading.build(utrecht)["items"]}
    assert views["A2"].later is None
    autumn = named_round(utrecht, name="Najaar")
    for i in range(5):
        # A2 now 3 (+1.0: toward 5); A1 now 3 (3.0 -> 3.0: no clear change)
        colleague(version, utrecht, f"autumn{i}@utrecht.nl", 3, 5)
    views = {v.item.statement.key: v for v in reading.build(utrecht)["items"]}
    a2 = views["A2"].progress
    assert (a2.state, a2.change, a2.before.n, a2.after.n, a2.reached) == ("toward", D("1.0"), 12, 5, False)
    assert views["A2"].later.round == autumn
    assert (views["A1"].progress.state, views["A1"].progress.change) == ("unchanged", D("0.0"))
    coordinator_client.cookies["django_language"] = "en"
    html = coordinator_client.get(url("roadmap")).content.decode()
    assert "toward the target" in html and "+1.0" in html


def test_progress_is_not_known_when_the_later_round_is_below_k(coordinator_client, version, spring, utrecht):
    add(coordinator_client, spring, "A2")
    close(spring)
    named_round(utrecht, name="Najaar")
    for i in range(4):
        colleague(version, utrecht, f"few{i}@utrecht.nl", 4, 5)
    view = reading.build(utrecht)["items"][0]
    # Fewer than K: no snapshot of the later round yet, so nothing to compare with.
    assert view.later is None
    assert view.progress.state == "unknown"
