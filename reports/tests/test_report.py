"""The personal report with hand-computed numbers, comparisons under K, snapshots, sharing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AccessToken
from conftest import answer_all, confirm, counted_response, login, make_response
from reports.aggregates import comparison_for
from reports.models import Snapshot
from reports.report import build_report


def viewer_current(statement):
    # positions 1-5 -> 1, 6-10 -> 2, 11-15 -> 3, 16-20 -> 4, 21 -> don't know
    return 0 if statement.position == 21 else (statement.position - 1) // 5 + 1


def viewer_desired(statement):
    p = statement.position
    if p <= 3:
        return 5  # gap 4
    if p <= 5:
        return 3  # gap 2
    if p <= 10:
        return 4  # gap 2
    if p <= 15:
        return 3  # no gap
    if p <= 20:
        return 2  # desired below now (-2)
    return 5  # now unknown


@pytest.fixture
def viewer(version, utrecht):
    return counted_response(version, utrecht, "viewer@utrecht.nl", viewer_current, viewer_desired)


def report_of(response):
    answers = {a.statement_id: (a.current, a.desired, a.note) for a in response.answers.all()}
    return build_report(response.instrument_version, answers, [comparison_for(response.municipality, is_own=True)])


def test_personal_numbers_are_hand_computed(viewer):
    report = report_of(viewer)
    # Paired statements: 1-20. Current: 5*(1+2+3+4)/20 = 50/20 = 2.5.
    # Desired: (3*5 + 2*3 + 5*4 + 5*3 + 5*2)/20 = 66/20 = 3.3. Gap 3.3 - 2.5 = 0.8.
    assert report["summary"].paired == 20
    assert report["summary"].current == Decimal("2.5")
    assert report["summary"].desired == Decimal("3.3")
    assert report["summary"].gap == Decimal("0.8")
    # Stage now from 20 known levels, mean 2.5 -> effective; desired 71/21 = 3.38 -> adaptive.
    assert report["current_stage"] == "effective"
    assert report["desired_stage"] == "adaptive"
    # Largest gaps: positions 1-3 (4), then the tie at 2 broken by order: 4, 5.
    assert [row.statement.position for row in report["top_gaps"]] == [1, 2, 3, 4, 5]
    assert [row.gap for row in report["top_gaps"]] == [4, 4, 4, 2, 2]
    assert report["top_gaps"][0].next_level == 2
    assert report["top_gaps"][0].next_level_text == report["top_gaps"][0].statement.level_text(2)
    rows = {row.statement.position: row for row in report["rows"]}
    assert (rows[12].gap, rows[12].gap_kind) == (0, "none")
    assert (rows[17].gap, rows[17].gap_kind) == (-2, "lower")
    assert (rows[21].gap, rows[21].gap_kind) == (None, "unknown")
    themes = {block.theme.key: block.summary for block in report["themes"]}
    # Theme A (1-4): now 1,1,1,1 -> 1.0; desired 5,5,5,3 -> 18/4 = 4.5; gap 3.5.
    assert (themes["A"].current, themes["A"].desired, themes["A"].gap) == (
        Decimal("1.0"),
        Decimal("4.5"),
        Decimal("3.5"),
    )
    # Theme F (20, 21): only 20 is paired: now 4, desired 2, gap -2.
    assert (themes["F"].paired, themes["F"].current, themes["F"].gap) == (1, Decimal("4.0"), Decimal("-2.0"))


def test_report_page_shows_the_numbers(client, viewer):
    login(client, viewer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("reports:report", kwargs={"public_id": viewer.public_id}))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Effective" in content
    assert "<svg" in content and "radar-title" in content
    assert "desired lower than now (-2)" in content
    assert "not shown: fewer than 5 people" in content


def colleagues(version, municipality, count, current=3, desired=4, prefix="c"):
    return [
        counted_response(version, municipality, f"{prefix}{i}@{municipality.pk.lower()}.nl", current, desired)
        for i in range(count)
    ]


def test_municipality_figure_needs_k_answers_per_statement_and_scale(version, utrecht, viewer):
    # Four colleagues. A1 (position 1): now 2,3,4,5 plus the viewer's 1 -> (1+2+3+4+5)/5 = 3.0, n=5.
    # A1 desired: the viewer 5, the colleagues "don't know" except one (5) -> n=2: below K.
    def current(statement, i):
        return i + 2 if statement.position == 1 else 3

    def desired(statement, i):
        if statement.position == 1:
            return 5 if i == 0 else 0
        return 4

    for i in range(4):
        counted_response(
            version, utrecht, f"k{i}@utrecht.nl", lambda s, i=i: current(s, i), lambda s, i=i: desired(s, i)
        )
    comparison = comparison_for(utrecht, is_own=True)
    assert comparison.n_responses == 5
    a1 = version.statements.get(position=1)
    now = comparison.figure(a1.lineage, "current")
    assert (now.shown, now.n, now.mean) == (True, 5, Decimal("3.0"))
    wanted = comparison.figure(a1.lineage, "desired")
    assert (wanted.shown, wanted.n, wanted.reason) == (False, 2, "below_k")
    # Statement 21: the viewer said "don't know" now, the four said 3 -> n=4 < K: hidden.
    s21 = version.statements.get(position=21)
    assert comparison.figure(s21.lineage, "current").reason == "below_k"
    # Theme A desired is hidden because A1 desired is below K.
    lineages = [s.lineage for s in version.themes.get(key="A").statements.all()]
    assert comparison.theme_figure(lineages, "desired").shown is False
    # Theme B now: viewer 1,2,2,2 (positions 5-8) and 4 x (3,3,3,3): (1+2+2+2+48)/20 = 55/20 = 2.75 -> 2.8.
    lineages_b = [s.lineage for s in version.themes.get(key="B").statements.all()]
    theme_b = comparison.theme_figure(lineages_b, "current")
    assert (theme_b.shown, theme_b.n, theme_b.mean) == (True, 5, Decimal("2.8"))


def test_municipality_below_k_is_not_shown_and_says_why(version, utrecht, viewer):
    colleagues(version, utrecht, 3)
    comparison = comparison_for(utrecht, is_own=True)
    assert comparison.shown is False
    assert Snapshot.objects.count() == 0


def test_snapshot_refreshes_only_after_k_new_responses(version, utrecht, viewer):
    colleagues(version, utrecht, 4, current=5, prefix="a")
    first = comparison_for(utrecht)
    assert first.n_responses == 5
    a1 = version.statements.get(position=1)
    # now: 1 (viewer) + 4 x 5 = 21/5 = 4.2
    assert first.figure(a1.lineage, "current").mean == Decimal("4.2")
    colleagues(version, utrecht, 4, current=1, prefix="b")  # K-1 new: nothing changes
    again = comparison_for(utrecht)
    assert (again.n_responses, again.figure(a1.lineage, "current").mean) == (5, Decimal("4.2"))
    assert Snapshot.objects.count() == 1
    colleagues(version, utrecht, 1, current=1, prefix="c")  # the K-th new one: refresh
    refreshed = comparison_for(utrecht)
    # now: 1 + 4x5 + 5x1 = 26/10 = 2.6
    assert (refreshed.n_responses, refreshed.figure(a1.lineage, "current").mean) == (10, Decimal("2.6"))
    assert Snapshot.objects.count() == 2


def test_replacement_by_the_same_address_counts_as_one(version, utrecht, viewer):
    colleagues(version, utrecht, 4, current=5, prefix="a")
    # a0 answers again: the earlier submission is replaced in the aggregate, not added.
    counted_response(version, utrecht, "a0@gm0344.nl", current=1)
    colleagues(version, utrecht, 4, current=1, prefix="d")
    comparison = comparison_for(utrecht)
    a1 = version.statements.get(position=1)
    # Counted: viewer (1), a1-a3 (5,5,5), a0 again (1), d0-d3 (1,1,1,1): 9 responses, sum 1+15+1+4 = 21 -> 2.3
    assert comparison.n_responses == 9
    assert comparison.figure(a1.lineage, "current").mean == Decimal("2.3")


def test_unconfirmed_and_unsubmitted_responses_never_count(version, utrecht, viewer):
    colleagues(version, utrecht, 3)
    for i in range(5):
        pending = make_response(version, utrecht, email=f"p{i}@utrecht.nl")
        answer_all(pending)
        services.submit(pending)  # submitted, never confirmed
    for i in range(5):
        confirm(make_response(version, utrecht, email=f"u{i}@utrecht.nl"))  # confirmed, never submitted
    assert comparison_for(utrecht).n_responses == 0


def test_demo_respondents_do_not_count_outside_demo_mode(version, utrecht, settings):
    from assessments.demo import load_demo_data

    load_demo_data(version)
    settings.ZELFSCAN_DEMO_MODE = False
    assert comparison_for(utrecht).n_responses == 0
    settings.ZELFSCAN_DEMO_MODE = True
    assert comparison_for(utrecht).n_responses == 30


def test_other_municipalities_can_be_chosen_and_are_stored(client, version, utrecht, amersfoort, viewer):
    colleagues(version, amersfoort, 5)
    login(client, viewer)
    url = reverse("reports:compare", kwargs={"public_id": viewer.public_id})
    result = client.post(url, {"first": "Amersfoort", "second": "Zwolle"})
    assert result.status_code == 302
    assert set(viewer.compare_with.values_list("pk", flat=True)) == {"GM0307", "GM0193"}
    client.cookies["django_language"] = "en"
    page = client.get(reverse("reports:report", kwargs={"public_id": viewer.public_id})).content.decode()
    assert "shown: at least 5 people from this municipality" in page
    assert "Amersfoort: now" in page
    assert "Zwolle</strong>:" in page and "fewer than 5 people from this municipality" in page


def test_choosing_an_unknown_municipality_is_a_clear_400(client, viewer):
    login(client, viewer)
    url = reverse("reports:compare", kwargs={"public_id": viewer.public_id})
    result = client.post(url, {"first": "Atlantis"})
    assert result.status_code == 400
    assert "Atlantis" in result.content.decode()
    assert viewer.compare_with.count() == 0


def test_report_is_only_for_the_respondents_session(client, viewer):
    url = reverse("reports:report", kwargs={"public_id": viewer.public_id})
    assert client.get(url).status_code == 403
    assert client.post(reverse("reports:compare", kwargs={"public_id": viewer.public_id}), {}).status_code == 403
    assert client.post(reverse("reports:share", kwargs={"public_id": viewer.public_id}), {}).status_code == 403


def test_report_before_submitting_sends_the_respondent_to_review(respondent_client, respondent):
    result = respondent_client.get(reverse("reports:report", kwargs={"public_id": respondent.public_id}))
    assert result["Location"] == reverse("assessments:review", kwargs={"public_id": respondent.public_id})


def test_share_link_shows_the_report_without_notes_and_grants_nothing_else(client, version, utrecht):
    response = counted_response(version, utrecht, "s@utrecht.nl")
    statement = version.statements.get(position=1)
    response.answers.filter(statement=statement).update(note="secret note")
    login(client, response)
    own = client.get(reverse("reports:report", kwargs={"public_id": response.public_id})).content.decode()
    assert "secret note" in own
    created = client.post(reverse("reports:share", kwargs={"public_id": response.public_id}), {"action": "create"})
    link = created.context["link"]
    path = link.replace("http://testserver", "")
    stranger = client.__class__()
    shared = stranger.get(path)
    assert shared.status_code == 200
    assert "secret note" not in shared.content.decode()
    assert "s@utrecht.nl" not in shared.content.decode()
    # The share token opens nothing else.
    token = path.split("t=")[1]
    assert stranger.post(reverse("assessments:link"), {"t": token}).status_code == 404
    assert stranger.get(reverse("reports:report", kwargs={"public_id": response.public_id})).status_code == 403
    # Revoking stops it.
    client.post(reverse("reports:share", kwargs={"public_id": response.public_id}), {"action": "revoke"})
    assert stranger.get(path).status_code == 404
    assert AccessToken.objects.filter(kind="share", revoked_at__isnull=True).count() == 0


def test_bad_share_links(client, version):
    assert client.get(reverse("reports:shared")).status_code == 404
    assert client.get(reverse("reports:shared"), {"t": "nonsense"}).status_code == 404


@pytest.mark.parametrize("language", ["nl", "en"])
def test_sample_report_renders_with_fictional_data(client, version, language):
    client.cookies["django_language"] = language
    page = client.get(reverse("reports:sample"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content
    assert "n=24" in content
