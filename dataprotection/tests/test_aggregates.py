"""A deletion removes the person's answers from every later computation (privacy-model.md,
"No differencing"), through the existing refresh path, without revealing them by a difference."""

import pytest
from django.urls import reverse

from assessments.models import Response
from assessments.signals import counted_responses_changed
from conftest import counted_response
from dataprotection import services
from dataprotection.models import REQUEST_VALIDITY, DataRequest
from reports.aggregates import comparison_for, count_levels
from reports.models import Snapshot

K = 5


@pytest.fixture(autouse=True)
def _k(settings):
    settings.ZELFSCAN_K = K


@pytest.fixture
def colleagues(version, utrecht):
    return [counted_response(version, utrecht, email=f"collega{i}@utrecht.nl", current=3) for i in range(K)]


@pytest.fixture
def leaver(version, utrecht, amersfoort, colleagues):
    """Someone whose level 1 everywhere stands out from the colleagues' level 3, in two municipalities."""
    response = counted_response(version, utrecht, email="vertrekker@utrecht.nl", current=1)
    counted_response(version, amersfoort, email="vertrekker@utrecht.nl", current=1)
    return response


def delete_identity(identity: str, django_capture_on_commit_callbacks) -> dict:
    from django.utils import timezone

    now = timezone.now()
    request = DataRequest.objects.create(
        purpose="delete", identity=identity, token_hash="f" * 64, created_at=now, expires_at=now + REQUEST_VALIDITY
    )
    with django_capture_on_commit_callbacks(execute=True):
        return services.delete_everything(request)


def level_one_count(counts: dict) -> int:
    return sum(scales["current"][1] for scales in counts.values())


def test_live_counts_leave_the_deleted_person_out(leaver, utrecht, django_capture_on_commit_callbacks):
    live = Response.objects.counted().filter(municipality=utrecht)
    assert level_one_count(count_levels(live)) == 21
    delete_identity("vertrekker@utrecht.nl", django_capture_on_commit_callbacks)
    assert level_one_count(count_levels(Response.objects.counted().filter(municipality=utrecht))) == 0
    assert live.count() == K


def test_the_deletion_signals_every_municipality_it_touched(leaver, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, municipality_id, round_id=None, **kwargs):
        seen.append((municipality_id, round_id))

    expected = sorted(
        set(Response.objects.filter(identity="vertrekker@utrecht.nl").values_list("municipality_id", "round_id"))
    )
    counted_responses_changed.connect(receiver, dispatch_uid="test-deletion-signal")
    try:
        delete_identity("vertrekker@utrecht.nl", django_capture_on_commit_callbacks)
    finally:
        counted_responses_changed.disconnect(dispatch_uid="test-deletion-signal")
    assert sorted(seen) == expected
    assert [code for code, _round in expected] == ["GM0307", "GM0344"]


def test_the_deletion_reaches_the_refresh_path_with_the_round(leaver, monkeypatch, django_capture_on_commit_callbacks):
    import reports.aggregates

    rounds = []
    monkeypatch.setattr(reports.aggregates, "round_snapshot", lambda round_, *a, **k: rounds.append(round_.pk))
    expected = sorted(set(Response.objects.filter(identity="vertrekker@utrecht.nl").values_list("round_id", flat=True)))
    delete_identity("vertrekker@utrecht.nl", django_capture_on_commit_callbacks)
    assert sorted(rounds) == expected


def test_a_published_round_keeps_its_numbers_after_a_deletion(version, utrecht, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from rounds import services as rounds
    from rounds.models import Round

    today = timezone.localdate()
    spring = Round.objects.create(
        municipality=utrecht, name="Voorjaar", opens_on=today - datetime.timedelta(days=10), closes_on=today
    )
    for i in range(K):
        counted_response(version, utrecht, email=f"lente{i}@utrecht.nl", current=3)
    leaving = counted_response(version, utrecht, email="vertrekker@utrecht.nl", current=1)
    assert leaving.round_id == spring.pk
    rounds.finalise(spring, now=timezone.now() + datetime.timedelta(days=30))
    published = Snapshot.objects.get(round=spring, published=True)
    delete_identity("vertrekker@utrecht.nl", django_capture_on_commit_callbacks)
    again = Snapshot.objects.get(round=spring, published=True)
    assert (again.n_responses, again.counts) == (published.n_responses, published.counts) == (K + 1, published.counts)
    assert level_one_count(again.counts) == 21


def test_a_deletion_alone_takes_no_new_snapshot_so_nothing_can_be_differenced(
    leaver, utrecht, django_capture_on_commit_callbacks
):
    shown = comparison_for(utrecht)
    assert shown.n_responses == K + 1
    snapshots = Snapshot.objects.count()
    delete_identity("vertrekker@utrecht.nl", django_capture_on_commit_callbacks)
    after = comparison_for(utrecht)
    assert Snapshot.objects.count() == snapshots
    assert (after.n_responses, after.counts) == (shown.n_responses, shown.counts)


def test_the_next_snapshot_leaves_the_deleted_person_out(leaver, version, utrecht, django_capture_on_commit_callbacks):
    assert level_one_count(comparison_for(utrecht).counts) == 21
    delete_identity("vertrekker@utrecht.nl", django_capture_on_commit_callbacks)
    for i in range(K):  # K new colleagues: the snapshot is due again
        with django_capture_on_commit_callbacks(execute=True):
            counted_response(version, utrecht, email=f"nieuw{i}@utrecht.nl", current=3)
    latest = comparison_for(utrecht)
    assert latest.n_responses == 2 * K
    assert level_one_count(latest.counts) == 0


def test_the_privacy_statement_says_so(client, db):
    client.cookies["django_language"] = "en"
    content = client.get(reverse("pages:privacy")).content.decode()
    assert "your answers are left out of every average computed after" in content
