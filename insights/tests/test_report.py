"""The organisation report of a round: hand-computed figures, the snapshot rule, the department
and role view with folding, progress across rounds, the presentation and the PDF."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from insights import groups
from insights.breakdown import breakdown_for
from insights.models import BreakdownSnapshot
from insights.orgreport import round_report
from reports import scoring
from reports.models import Snapshot
from rounds import services as round_services

from .helpers import NOTE, colleague, named_round, twelve_colleagues

D = Decimal


@pytest.fixture
def spring(version, utrecht):
    round_ = named_round(utrecht)
    twelve_colleagues(version, utrecht)
    return round_


def row_of(context, position):
    return next(row for row in context["rows"] if row.statement.position == position)


def test_statement_figures_are_hand_computed(spring):
    context = round_report(spring).context
    assert context["n_responses"] == 12
    a1 = row_of(context, 1)
    # Now: 1,1,1,2,2,3,3,4,4,5,5,5 -> 36/12 = 3.0.
    assert (a1.current.figure.mean, a1.current.figure.n) == (D("3.0"), 12)
    # Per level 3, 2, 2, 2, 3: level 2 (2) waits for level 3 (2+2 = 4); level 4 (2) for 5 (2+3 = 5).
    assert [(b.low, b.high, b.count) for b in a1.current.distribution.bins] == [(1, 1, 3), (2, 3, 4), (4, 5, 5)]
    # P25 at rank 2.75: 1 + 0.75 = 1.75 -> 1.8; P75 at rank 8.25: 4.25 -> 4.3; 2.5 apart: flagged.
    d = a1.current.disagreement
    assert (d.p25, d.p75, d.iqr, d.flagged) == (D("1.8"), D("4.3"), D("2.5"), True)
    assert (a1.current.dont_know.count, a1.current.dont_know.percent) == (0, 0)
    # Desired: two "I don't know", ten 4s -> 4.0 (n=10); 2 of 12 = 16.7% -> 17%.
    assert (a1.desired.figure.mean, a1.desired.figure.n) == (D("4.0"), 10)
    assert (a1.desired.dont_know.count, a1.desired.dont_know.total, a1.desired.dont_know.percent) == (2, 12, 17)
    assert [(b.low, b.high, b.count) for b in a1.desired.distribution.bins] == [(1, 5, 10)]  # n=10 = 2K: shown
    assert (a1.desired.disagreement.iqr, a1.desired.disagreement.flagged) == (D("0.0"), False)
    assert a1.gap == D("1.0")
    a2 = row_of(context, 2)
    assert (a2.current.figure.mean, a2.desired.figure.mean, a2.gap) == (D("2.0"), D("5.0"), D("3.0"))
    # Largest gaps: A2 (3.0), then the ties at 1.0 in statement order: A1, A3, A4, B1.
    assert [row.statement.key for row in context["top_gaps"]] == ["A2", "A1", "A3", "A4", "B1"]
    # Only A1 has any disagreement about now.
    assert [row.statement.key for row in context["top_disagreements"]] == ["A1"]


def test_theme_and_overall_figures_are_hand_computed(spring):
    context = round_report(spring).context
    theme_a = context["themes"][0]
    # Now: A1 36 + A2 24 + A3 36 + A4 36 = 132 over 48 levels = 2.75 -> 2.8 (n = the smallest, 12).
    assert (theme_a.current.figure.mean, theme_a.current.figure.n) == (D("2.8"), 12)
    # Desired: A1 40 (10 levels) + A2 60 + A3 48 + A4 48 = 196 over 46 = 4.26 -> 4.3 (n=10).
    assert (theme_a.desired.figure.mean, theme_a.desired.figure.n) == (D("4.3"), 10)
    assert theme_a.gap == D("1.5")
    # "I don't know" in the theme, desired: 2 of 48 = 4.2% -> 4%.
    assert (theme_a.desired.dont_know.count, theme_a.desired.dont_know.total) == (2, 48)
    assert theme_a.desired.dont_know.percent == 4
    assert theme_a.disputed == 1  # A1
    # Overall now: (36 + 24 + 19 x 36) / 252 = 744/252 = 2.95 -> 3.0: adaptive.
    overall = context["overall"]
    assert (overall.current.mean, overall.current_stage) == (D("3.0"), "adaptive")
    # Desired: (40 + 60 + 19 x 48) / (10 + 12 + 228) = 1012/250 = 4.05 -> 4.0: smart.
    assert (overall.desired.mean, overall.desired_stage) == (D("4.0"), "smart")
    governance = next(p for p in context["preconditions"] if p.key == "governance")
    assert governance.statements == 11
    # Governance: A1..A4 and 7 more at 3: (36 + 24 + 9 x 36) / 132 = 384/132 = 2.9: effective.
    assert (governance.current.mean, governance.current_stage) == (D("2.9"), "effective")


def test_the_report_page_shows_the_figures(coordinator_client, spring):
    coordinator_client.cookies["django_language"] = "en"
    page = coordinator_client.get(reverse("insights:report", kwargs={"round_id": spring.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Counted responses</dt><dd>12</dd>" in html
    assert '3.0 <span class="muted">(n=12)</span>' in html
    assert "levels 2–3:</span> 4" in html  # a merged part says which levels it holds
    assert '17% <span class="muted">(2 of 12)</span>' in html
    assert "1.8–4.3" in html and "large disagreement" in html
    assert "Adaptive" in html and "Smart" in html
    assert NOTE not in html
    assert page["Cache-Control"] == "private, no-store"


def test_the_dutch_page_writes_decimal_commas(coordinator_client, spring):
    coordinator_client.cookies["django_language"] = "nl"
    html = coordinator_client.get(reverse("insights:report", kwargs={"round_id": spring.pk})).content.decode()
    assert '3,0 <span class="muted">(n=12)</span>' in html
    assert "1,8–4,3" in html


def test_below_k_nothing_is_shown_and_the_page_says_why(coordinator_client, version, utrecht):
    round_ = named_round(utrecht)
    for i in range(4):
        colleague(version, utrecht, f"few{i}@utrecht.nl", 2, 4)
    context = round_report(round_).context
    assert context["snapshot"] is None  # fewer than K: no snapshot taken yet
    assert not context["any_shown"]
    page = coordinator_client.get(reverse("insights:report", kwargs={"round_id": round_.pk}))
    assert page.status_code == 200


def test_distribution_needs_2k_and_averages_k(version, utrecht):
    round_ = named_round(utrecht)
    for i in range(9):  # K <= 9 < 2K
        colleague(version, utrecht, f"nine{i}@utrecht.nl", 1 + i % 5, 4)
    a1 = row_of(round_report(round_).context, 1)
    assert a1.current.figure.shown and a1.current.figure.n == 9
    assert a1.current.distribution.shown is False
    assert a1.current.disagreement.shown is False


# --- the snapshot rule ---


def test_during_an_open_round_the_report_moves_only_after_k_new_responses(version, utrecht, spring):
    first = round_report(spring)
    a1_now = row_of(first.context, 1).current.figure
    assert (first.snapshot.n_responses, a1_now.mean) == (12, D("3.0"))
    breakdown = breakdown_for(first.snapshot)
    for i in range(4):  # K - 1 new colleagues, all at level 5, all in Finance
        colleague(version, utrecht, f"late{i}@utrecht.nl", 5, 5, department="Finance")
    again = round_report(spring)
    assert again.snapshot.pk == first.snapshot.pk
    assert row_of(again.context, 1).current.figure == a1_now
    finance_now = groups.build(again.context["version"], again.snapshot, "department", "current")
    assert breakdown_for(again.snapshot).pk == breakdown.pk
    assert finance_now["group_rows"][0].cells[0].mean == D("1.8")  # Finance as before: 11/6
    colleague(version, utrecht, "late4@utrecht.nl", 5, 5, department="Finance")  # the K-th
    refreshed = round_report(spring)
    assert refreshed.snapshot.pk != first.snapshot.pk
    # 36 + 5 x 5 = 61 over 17 = 3.59 -> 3.6
    assert row_of(refreshed.context, 1).current.figure.mean == D("3.6")
    # A new breakdown for the new snapshot: Finance 11 + 25 = 36 over 11 = 3.27 -> 3.3.
    moved = groups.build(refreshed.context["version"], refreshed.snapshot, "department", "current")
    assert moved["group_rows"][0].cells[0].mean == D("3.3")
    assert BreakdownSnapshot.objects.count() == 2


def test_a_closed_round_shows_its_published_snapshot(version, utrecht, spring):
    spring.closes_on = timezone.localdate() - datetime.timedelta(days=30)
    spring.opens_on = spring.closes_on - datetime.timedelta(days=10)
    spring.save()
    assert round_services.finalise(spring)
    published = round_report(spring)
    assert published.snapshot.published is True
    assert published.snapshot.n_responses == 12
    # A later deletion or a later round changes nothing in the published figures.
    colleague(version, utrecht, "after@utrecht.nl", 5, 5)
    assert round_report(spring).snapshot.pk == published.snapshot.pk


def test_a_new_snapshot_gets_its_breakdown_at_once(django_capture_on_commit_callbacks, spring):
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = round_report(spring).snapshot
    breakdown = BreakdownSnapshot.objects.get(snapshot=snapshot)
    assert sorted(breakdown.counts["department"]) == ["", "Finance", "IT"]
    # Only one dimension at a time is kept: no department-and-role combinations.
    assert set(breakdown.counts) == {"department", "domain", "role"}


def test_a_late_breakdown_counts_the_responses_as_they_counted_then(version, utrecht, spring):
    snapshot = round_report(spring).snapshot
    # c0 (Finance, A1 now 1) answers again after the snapshot: their first answer is replaced
    # in later figures, but the snapshot, and so its breakdown, still holds the first.
    colleague(version, utrecht, "c0@gm0344.nl", 5, 5, department="IT")
    breakdown = breakdown_for(snapshot)
    lineage = row_of(round_report(spring).context, 1).statement.lineage
    assert breakdown.counts["department"]["Finance"][lineage]["current"] == [0, 3, 2, 0, 1, 0]
    total = scoring.add_counts(*(group[lineage]["current"] for group in breakdown.counts["department"].values()))
    assert total == snapshot.counts[lineage]["current"]


# --- departments, domains and roles ---


def test_departments_fold_so_that_nothing_can_be_subtracted(spring):
    report = round_report(spring)
    view = groups.build(report.context["version"], report.snapshot, "department", "current")
    a1 = view["group_rows"][0]
    # Finance 1,1,1,2,2,4 = 11/6 = 1.8 (n=6). IT (n=5) would leave "other" = the one colleague
    # without a department: IT folds too. Other = 4+5+5+5+3 + 3 = 25/6 = 4.2 (n=6).
    assert [column.label for column in view["columns"]] == ["Finance"]
    assert (a1.cells[0].mean, a1.cells[0].n) == (D("1.8"), 6)
    assert (a1.other.mean, a1.other.n) == (D("4.2"), 6)
    assert a1.total.n == a1.cells[0].n + a1.other.n
    # A1 desired: Finance has two "I don't know" (n=4 < K) and folds; IT (4.0, n=5) is shown,
    # and "other" (Finance's 4 and the one without a department) reaches K: 4.0 (n=5).
    desired = groups.build(report.context["version"], report.snapshot, "department", "desired")
    assert [column.label for column in desired["columns"]] == ["Finance", "IT"]
    a1_desired = desired["group_rows"][0]
    assert a1_desired.cells[0] is None
    assert (a1_desired.cells[1].mean, a1_desired.cells[1].n) == (D("4.0"), 5)
    assert (a1_desired.other.mean, a1_desired.other.n) == (D("4.0"), 5)
    # Every other statement: Finance 6, IT 5 and one without a department: IT folds again.
    assert desired["group_rows"][1].cells[1] is None and desired["group_rows"][1].other.n == 6


def test_domains_show_where_groups_see_it_differently(spring):
    report = round_report(spring)
    view = groups.build(report.context["version"], report.snapshot, "domain", "current")
    a1 = view["group_rows"][0]
    # Energy (the six in Finance) 1.8, mobility (the other six) 4.2: 2.4 apart.
    assert [column.label for column in view["columns"]] == ["Energie", "Mobiliteit"]  # Dutch first
    assert [cell.mean for cell in a1.cells] == [D("1.8"), D("4.2")]
    assert (a1.spread, a1.silo, a1.other) == (D("2.4"), True, None)
    assert [row.statement.key for row in view["silos"]] == ["A1"]


@pytest.mark.parametrize("by", ["department", "domain", "role"])
@pytest.mark.parametrize("scale", ["current", "desired"])
def test_every_view_of_the_page_adds_up_and_hides_no_small_remainder(spring, by, scale):
    """For every filter the page offers and every statement: each shown part reaches K, and the
    shown parts (groups and "other") are exactly the total, so subtracting reveals nothing."""
    report = round_report(spring)
    view = groups.build(report.context["version"], report.snapshot, by, scale)
    for row in view["group_rows"]:
        parts = [cell for cell in row.cells if cell is not None] + ([row.other] if row.other else [])
        if not parts:
            continue
        assert all(part.n >= 5 for part in parts)
        assert sum(part.n for part in parts) == row.total.n


def test_groups_page_offers_every_view_and_refuses_bad_input(coordinator_client, spring):
    url = reverse("insights:groups", kwargs={"round_id": spring.pk})
    coordinator_client.cookies["django_language"] = "en"
    for by in ("department", "domain", "role"):
        for scale in ("current", "desired"):
            page = coordinator_client.get(url, {"by": by, "scale": scale})
            assert page.status_code == 200, (by, scale)
            assert NOTE not in page.content.decode()
    default = coordinator_client.get(url).content.decode()
    assert "Finance" in default and '4.2 <span class="muted">(n=6)</span>' in default
    bad = coordinator_client.get(url, {"by": "email", "scale": "current"})
    assert bad.status_code == 400
    assert "Choose department, domain or role." in bad.content.decode()


# --- progress across rounds ---


def test_progress_across_rounds_uses_each_rounds_snapshot(version, utrecht, spring):
    spring.opens_on = timezone.localdate() - datetime.timedelta(days=60)
    spring.closes_on = timezone.localdate() - datetime.timedelta(days=30)
    spring.save()
    round_services.finalise(spring)
    autumn = named_round(utrecht, name="Najaar")
    for i in range(5):
        colleague(version, utrecht, f"autumn{i}@utrecht.nl", 4, 5)
    from insights import trend

    report = round_report(autumn)
    points = trend.points_up_to(autumn, report.snapshot)
    assert [point.round.name for point in points] == ["Voorjaar", "Najaar"]
    built = trend.build(report.context["version"], points)
    a1 = built["trend_themes"][0]["statements"][0]
    assert [f.mean for f in a1.current] == [D("3.0"), D("4.0")]
    assert [f.mean for f in a1.desired] == [D("4.0"), D("5.0")]
    theme_a = built["trend_themes"][0]["line"]
    assert [f.mean for f in theme_a.current] == [D("2.8"), D("4.0")]
    # The earlier round's report does not show the later round.
    assert [p.round.name for p in trend.points_up_to(spring, round_report(spring).snapshot)] == ["Voorjaar"]


def test_trend_page_has_a_chart_and_a_table(coordinator_client, spring):
    coordinator_client.cookies["django_language"] = "en"
    html = coordinator_client.get(reverse("insights:trend", kwargs={"round_id": spring.pk})).content.decode()
    assert 'class="trend-chart"' in html and "Progress appears from the second round on." in html
    assert "<caption>A. Vision and governance: average level per round</caption>" in html


# --- presentation ---


def test_presentation_screens_follow_the_agenda(coordinator_client, spring):
    coordinator_client.cookies["django_language"] = "en"
    url = reverse("insights:present", kwargs={"round_id": spring.pk})
    first = coordinator_client.get(url).content.decode()
    for question in (
        "What is at stake, and why now?",
        "Where are the bottlenecks?",
        "What are our aspirations?",
        "How do we secure it?",
    ):
        assert question in first
    # Title, stake, bottlenecks, 5 statements (A2, A1, A3, A4, B1), aspirations, 6 themes, roadmap, close.
    screens = 1 + 1 + 1 + 5 + 1 + 6 + 1 + 1
    last = coordinator_client.get(reverse("insights:present_screen", kwargs={"round_id": spring.pk, "screen": screens}))
    assert last.status_code == 200 and 'rel="next"' not in last.content.decode()
    past = reverse("insights:present_screen", kwargs={"round_id": spring.pk, "screen": screens + 1})
    assert coordinator_client.get(past).status_code == 404
    a2 = coordinator_client.get(reverse("insights:present_screen", kwargs={"round_id": spring.pk, "screen": 4}))
    html = a2.content.decode()
    assert "A2." in html and "+3.0" in html and 'class="dist-bar"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    stake = coordinator_client.get(reverse("insights:present_screen", kwargs={"round_id": spring.pk, "screen": 2}))
    assert "Adaptive" in stake.content.decode()


# --- PDF ---


def test_the_pdf_has_the_same_figures_and_is_logged(coordinator_client, spring):
    from pypdf import PdfReader

    coordinator_client.cookies["django_language"] = "en"
    page = coordinator_client.get(reverse("insights:report_pdf", kwargs={"round_id": spring.pk}))
    assert page.status_code == 200
    assert page["Content-Type"] == "application/pdf"
    assert page["Content-Disposition"].startswith('attachment; filename="organisation-report-GM0344-')
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.content)).pages)
    assert "Organisation report" in text
    assert "3.0 (n=12)" in text
    assert "Finance" in text and "Progress across rounds" in text
    assert NOTE not in text
    event = AuditEvent.objects.get(action="export.report_pdf")
    assert (event.municipality, event.target) == ("GM0344", f"round#{spring.pk}")
    assert event.actor and "carol@utrecht.nl" not in event.actor


def test_snapshot_figures_only_never_a_live_count(spring):
    """The report and every breakdown read the snapshot: with the snapshot's counts changed by
    hand, the report shows the changed figures (so nothing reads the answers live)."""
    report = round_report(spring)
    lineage = row_of(report.context, 1).statement.lineage
    snapshot = Snapshot.objects.get(pk=report.snapshot.pk)
    snapshot.counts[lineage]["current"] = [0, 0, 0, 0, 0, 12]
    snapshot.save()
    assert row_of(round_report(spring).context, 1).current.figure.mean == D("5.0")
    # Another round of the same municipality does not see Utrecht's spring responses.
    other = named_round(spring.municipality, name="Later", days_open=(-20, 30))
    assert round_report(other).snapshot is None
