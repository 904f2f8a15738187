"""Rounds: which round a response joins, counting per round, invite-only rounds, closing, and
which round a municipality's comparison is taken from."""

import datetime

import pytest
from django.utils import timezone

from conftest import answer_all, confirm, counted_response, make_response
from reports.aggregates import comparison_for
from reports.models import Snapshot
from rounds import services
from rounds.models import Invitation, Round

TODAY = datetime.date(2027, 3, 15)


def named(municipality, opens_on, closes_on, **extra) -> Round:
    return Round.objects.create(
        municipality=municipality,
        name=extra.pop("name", "Voorjaar 2027"),
        opens_on=opens_on,
        closes_on=closes_on,
        **extra,
    )


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- state (pure on the fields and a date) ---


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (datetime.date(2027, 2, 28), Round.State.SCHEDULED),
        (datetime.date(2027, 3, 1), Round.State.OPEN),
        (datetime.date(2027, 3, 31), Round.State.OPEN),
        (datetime.date(2027, 4, 1), Round.State.GRACE),
        (datetime.date(2027, 4, 7), Round.State.GRACE),  # closes 31 March + 7 grace days
        (datetime.date(2027, 4, 8), Round.State.CLOSED),
    ],
)
def test_state_of_a_named_round_by_date(today, state):
    round_ = Round(kind=Round.Kind.NAMED, opens_on=datetime.date(2027, 3, 1), closes_on=datetime.date(2027, 3, 31))
    assert round_.state(today) == state
    assert round_.accepts_new_responses(today) is (state == Round.State.OPEN)
    assert round_.accepts_answers(today) is (state in (Round.State.OPEN, Round.State.GRACE))


def test_a_continuous_round_is_always_open():
    assert Round(kind=Round.Kind.CONTINUOUS).state(datetime.date(2099, 1, 1)) == Round.State.OPEN


def test_a_finalised_round_is_closed_whatever_the_date():
    round_ = Round(
        kind=Round.Kind.NAMED,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 3, 31),
        closed_at=timezone.now(),
    )
    assert round_.state(datetime.date(2027, 3, 2)) == Round.State.CLOSED


# --- which round a response joins ---


def test_a_response_joins_the_open_named_round(version, utrecht):
    today = timezone.localdate()
    spring = named(utrecht, today - days(1), today + days(10))
    named(utrecht, today + days(30), today + days(40), name="Later")  # scheduled: not yet
    response = make_response(version, utrecht)
    assert response.round == spring


def test_without_an_open_named_round_a_response_joins_the_continuous_round(version, utrecht):
    today = timezone.localdate()
    named(utrecht, today - days(40), today - days(10), name="Past")
    response = make_response(version, utrecht)
    assert response.round.kind == Round.Kind.CONTINUOUS
    assert make_response(version, utrecht, email="bob@utrecht.nl").round == response.round
    assert Round.objects.filter(municipality=utrecht, kind=Round.Kind.CONTINUOUS).count() == 1


def _round(pk, kind=Round.Kind.NAMED, opens_on=None, closes_on=None, closed_at=None) -> Round:
    return Round(pk=pk, kind=kind, opens_on=opens_on, closes_on=closes_on, closed_at=closed_at)


@pytest.mark.parametrize(
    "today,expected",
    [
        (datetime.date(2027, 3, 1), 2),  # the first day of the spring round
        (datetime.date(2027, 3, 31), 2),  # its last day
        (datetime.date(2027, 2, 28), None),  # the day before it opens
        (datetime.date(2027, 4, 1), None),  # the day after it closed
        (datetime.date(2027, 9, 15), None),  # the autumn round was finalised early
    ],
)
def test_open_among_takes_the_named_round_whose_period_holds_today(today, expected):
    rounds = [
        _round(1, kind=Round.Kind.CONTINUOUS),
        _round(2, opens_on=datetime.date(2027, 3, 1), closes_on=datetime.date(2027, 3, 31)),
        _round(3, opens_on=datetime.date(2027, 9, 1), closes_on=datetime.date(2027, 9, 30), closed_at=timezone.now()),
        _round(4),  # a named round without a period yet
    ]
    found = services.open_among(rounds, today)
    assert (found.pk if found else None) == expected


def test_open_among_prefers_the_latest_opened_round_should_two_overlap():
    rounds = [
        _round(7, opens_on=datetime.date(2027, 3, 1), closes_on=datetime.date(2027, 3, 31)),
        _round(5, opens_on=datetime.date(2027, 3, 10), closes_on=datetime.date(2027, 3, 20)),
    ]
    assert services.open_among(rounds, datetime.date(2027, 3, 15)).pk == 5


def test_choosing_the_round_of_a_new_response_is_one_statement(version, utrecht, django_assert_num_queries):
    today = timezone.localdate()
    spring = named(utrecht, today - days(1), today + days(10))
    with django_assert_num_queries(1):
        assert services.round_for_new_response(utrecht) == spring


def test_another_municipalitys_round_is_not_joined(version, utrecht, amersfoort):
    today = timezone.localdate()
    named(amersfoort, today - days(1), today + days(10))
    assert make_response(version, utrecht).round.is_continuous


# --- counting per round ---


def test_one_address_counts_once_per_round_but_in_each_round(version, utrecht):
    first = counted_response(version, utrecht, "alice@utrecht.nl")
    again = counted_response(version, utrecht, "alice@utrecht.nl")
    first.refresh_from_db()
    assert first.superseded_at is not None and again.counted_at is not None
    today = timezone.localdate()
    named(utrecht, today, today + days(5))
    in_named = counted_response(version, utrecht, "alice@utrecht.nl")
    again.refresh_from_db()
    assert in_named.counted_at is not None
    assert again.superseded_at is None  # the continuous round's response still counts there


def test_in_an_invite_only_round_only_invited_addresses_count(version, utrecht):
    today = timezone.localdate()
    round_ = named(utrecht, today, today + days(5), invite_only=True)
    Invitation.objects.create(round=round_, email="Invited@Utrecht.nl")
    invited = counted_response(version, utrecht, "invited@utrecht.nl")
    walk_in = counted_response(version, utrecht, "walk-in@utrecht.nl")
    assert invited.round == walk_in.round == round_
    assert invited.counted_at is not None
    assert walk_in.counted_at is None


# --- closing ---


def test_finalise_waits_for_the_grace_period(version, utrecht):
    today = timezone.localdate()
    round_ = named(utrecht, today - days(20), today - days(3), grace_days=7)
    assert services.finalise(round_) is False
    assert round_.state() == Round.State.GRACE


def test_finalise_publishes_the_snapshot_and_moves_unfinished_responses(version, utrecht):
    today = timezone.localdate()
    round_ = named(utrecht, today, today + days(5), grace_days=2)
    for index in range(5):
        counted_response(version, utrecht, f"r{index}@utrecht.nl", current=2, desired=4)
    unfinished = make_response(version, utrecht, email="late@utrecht.nl")
    answer_all(unfinished, 5, 5)
    later = timezone.now() + days(8)
    assert services.finalise(round_, later) is True
    unfinished.refresh_from_db()
    assert unfinished.round.is_continuous
    assert unfinished.answers.count() == 21  # nothing entered is lost
    published = Snapshot.objects.get(round=round_, published=True)
    assert published.n_responses == 5
    lineage = version.statements.first().lineage
    assert published.counts[lineage]["current"] == [0, 0, 5, 0, 0, 0]
    assert services.finalise(round_, later) is False  # once


@pytest.mark.parametrize("confirmed_first", [True, False], ids=["confirmed", "confirmed-after-submitting"])
def test_a_response_submitted_after_the_grace_period_counts_in_the_continuous_round(version, utrecht, confirmed_first):
    """The round changes with the submission itself, so a response whose address is confirmed only
    afterwards counts in the continuous round too."""
    today = timezone.localdate()
    round_ = named(utrecht, today, today + days(5))
    response = make_response(version, utrecht)
    answer_all(response)
    if confirmed_first:
        confirm(response)
    Round.objects.filter(pk=round_.pk).update(opens_on=today - days(30), closes_on=today - days(20))
    response.refresh_from_db()
    from assessments import services as assessment_services

    assert assessment_services.submit(response) is True
    response.refresh_from_db()
    assert response.round.is_continuous and response.submitted_at is not None
    if not confirmed_first:
        assert response.counted_at is None  # not confirmed yet
        confirm(response)
        response.refresh_from_db()
    assert response.round.is_continuous and response.counted_at is not None


def test_finalise_due_rounds_closes_only_the_rounds_past_grace(version, utrecht, amersfoort):
    today = timezone.localdate()
    due = named(utrecht, today - days(30), today - days(10), grace_days=7)
    in_grace = named(amersfoort, today - days(30), today - days(2), grace_days=7)
    assert services.finalise_due_rounds() == [due]
    in_grace.refresh_from_db()
    assert in_grace.closed_at is None


# --- which round comparisons use ---


def test_comparison_uses_the_most_recent_round_that_reaches_k_labelled_with_its_period(version, utrecht, settings):
    for index in range(5):
        counted_response(version, utrecht, f"c{index}@utrecht.nl", current=2)
    assert comparison_for(utrecht).round.is_continuous
    today = timezone.localdate()
    spring = named(utrecht, today, today + days(5), name="Voorjaar")
    for index in range(4):  # below K: the continuous round's figures stay shown
        counted_response(version, utrecht, f"s{index}@utrecht.nl", current=4)
    comparison = comparison_for(utrecht)
    assert comparison.round.is_continuous and comparison.n_responses == 5
    counted_response(version, utrecht, "s4@utrecht.nl", current=4)
    comparison = comparison_for(utrecht)
    assert comparison.round == spring and comparison.n_responses == 5
    lineage = version.statements.first().lineage
    assert comparison.figure(lineage, "current").mean == 4.0
    assert comparison.period_label == f"Voorjaar ({today:%d-%m-%Y} – {today + days(5):%d-%m-%Y})"


def test_during_an_open_round_its_snapshot_follows_only_after_k_new_responses(version, utrecht):
    today = timezone.localdate()
    named(utrecht, today, today + days(5))
    for index in range(5):
        counted_response(version, utrecht, f"a{index}@utrecht.nl")
    assert comparison_for(utrecht).n_responses == 5
    for index in range(4):
        counted_response(version, utrecht, f"b{index}@utrecht.nl")
    assert comparison_for(utrecht).n_responses == 5  # 4 new < K: nothing new to see
    counted_response(version, utrecht, "b4@utrecht.nl")
    assert comparison_for(utrecht).n_responses == 10


def test_a_round_needs_its_period_in_order(utrecht):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        named(utrecht, datetime.date(2027, 3, 31), datetime.date(2027, 3, 1))


def test_closing_publishes_nothing_that_differs_by_fewer_than_k(version, utrecht):
    """Review finding: 10 counted (snapshot), then 1 more; the published snapshot must not show
    11, or the difference would give that colleague's level."""
    today = timezone.localdate()
    round_ = named(utrecht, today, today + days(5), grace_days=0)
    for index in range(10):
        counted_response(version, utrecht, f"r{index}@utrecht.nl", current=3)
    assert comparison_for(utrecht).n_responses == 10
    counted_response(version, utrecht, "late@utrecht.nl", current=1)
    assert services.finalise(round_, timezone.now() + days(7)) is True
    published = Snapshot.objects.get(round=round_, published=True)
    assert published.n_responses == 10
    lineage = version.statements.first().lineage
    assert published.counts[lineage]["current"] == [0, 0, 0, 10, 0, 0]


def test_closing_with_k_or_more_new_publishes_them(version, utrecht):
    today = timezone.localdate()
    round_ = named(utrecht, today, today + days(5), grace_days=0)
    for index in range(5):
        counted_response(version, utrecht, f"r{index}@utrecht.nl", current=3)
    assert comparison_for(utrecht).n_responses == 5
    for index in range(5):
        counted_response(version, utrecht, f"s{index}@utrecht.nl", current=1)
    services.finalise(round_, timezone.now() + days(7))
    assert Snapshot.objects.get(round=round_, published=True).n_responses == 10
