"""A respondent in a new round can start from their previous answers."""

import datetime

import pytest
from django.utils import timezone

from assessments import services
from conftest import answer_all, confirm, counted_response, login, login_as_registrant, make_response
from rounds.models import Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(version, utrecht):
    response = counted_response(version, utrecht, "alice@utrecht.nl", current=2, desired=4)
    first = response.answers.order_by("statement__position").first()
    first.note = "Eigen notitie"
    first.save()
    return response


def new_round(municipality):
    today = timezone.localdate()
    return Round.objects.create(
        municipality=municipality, name="Najaar", opens_on=today, closes_on=today + datetime.timedelta(days=10)
    )


def test_offer_and_copy(client, version, utrecht, earlier):
    new_round(utrecht)
    current = make_response(version, utrecht, email="alice@utrecht.nl")
    confirm(current)
    login(client, current)
    page = client.get(f"/scan/{current.public_id}/")
    assert page.status_code == 200
    assert "Start from your previous answers" in page.content.decode() or "vorige antwoorden" in page.content.decode()
    done = client.post(f"/scan/{current.public_id}/start-from-previous/", {"choice": "previous"})
    assert done.status_code == 302 and done["Location"].endswith("/theme/1/")
    assert current.answers.count() == 21
    assert set(current.answers.values_list("current", "desired")) == {(2, 4)}
    assert current.answers.filter(note="Eigen notitie").count() == 1
    earlier.refresh_from_db()
    assert earlier.answers.count() == 21  # the earlier response is untouched
    assert client.get(f"/scan/{current.public_id}/").status_code == 302  # answered now: no offer again


def test_start_afresh_is_remembered(client, version, utrecht, earlier):
    new_round(utrecht)
    current = make_response(version, utrecht, email="alice@utrecht.nl")
    confirm(current)
    login(client, current)
    client.post(f"/scan/{current.public_id}/start-from-previous/", {"choice": "fresh"})
    assert current.answers.count() == 0
    assert client.get(f"/scan/{current.public_id}/").status_code == 302


def test_no_offer_for_an_unconfirmed_address(client, version, utrecht, earlier):
    """Whoever typed Alice's address (registration session, address not confirmed) must never see
    or copy her earlier answers."""
    new_round(utrecht)
    stranger = make_response(version, utrecht, email="alice@utrecht.nl")
    login_as_registrant(client, stranger)
    resume = client.get(f"/scan/{stranger.public_id}/")
    assert resume.status_code == 302 and resume["Location"].endswith("/theme/1/")
    assert services.previous_response(stranger) is None
    post = client.post(f"/scan/{stranger.public_id}/start-from-previous/", {"choice": "previous"})
    assert post.status_code == 302
    assert stranger.answers.count() == 0


def test_copy_only_into_an_empty_response(version, utrecht, earlier):
    current = make_response(version, utrecht, email="alice@utrecht.nl")
    answer_all(current, 5, 5)
    confirm(current)
    assert services.copy_previous_answers(current, earlier) == 0
    assert set(current.answers.values_list("current", flat=True)) == {5}


def test_no_offer_within_the_same_round(version, utrecht, earlier):
    current = make_response(version, utrecht, email="alice@utrecht.nl")
    confirm(current)
    assert current.round == earlier.round
    assert services.previous_response(current) is None


def test_someone_elses_response_is_never_copied(version, utrecht, earlier):
    new_round(utrecht)
    bob = make_response(version, utrecht, email="bob@utrecht.nl")
    confirm(bob)
    assert services.previous_response(bob) is None
    assert services.copy_previous_answers(bob, earlier) == 0
