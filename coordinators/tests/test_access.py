"""The access decorators, through a throw-away URLconf of one page per decorator."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from conftest import login_coordinator, make_coordinator
from coordinators import access
from coordinators.models import LoginSession
from rounds.models import Round


@access.coordinator_required
def any_page(request):
    return HttpResponse(",".join(sorted(m.pk for m in request.coordinator_of)))


@access.for_municipality
def municipality_page(request, municipality):
    return HttpResponse(municipality.pk)


@access.for_round
def round_page(request, round_):
    return HttpResponse(str(round_.pk))


urlpatterns = [
    path("", include("zelfscan.urls")),
    path("t/any/", any_page),
    path("t/m/<str:code>/", municipality_page),
    path("t/r/<int:round_id>/", round_page),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_anonymous_users_are_sent_to_the_login_page(client):
    page = client.get("/t/any/")
    assert page.status_code == 302
    assert page["Location"].startswith("/coordinator/login/?next=")


def test_a_password_alone_is_not_enough(client, coordinator):
    client.force_login(coordinator)  # first factor only
    assert client.get("/t/any/").status_code == 302


def test_a_signed_out_session_cannot_be_replayed(client, coordinator):
    login_coordinator(client, coordinator)
    cookie = client.cookies["sessionid"].value
    assert client.get("/t/any/").status_code == 200
    LoginSession.objects.update(ended_at="2026-01-01T00:00:00Z")  # signed out elsewhere
    client.cookies["sessionid"] = cookie
    assert client.get("/t/any/").status_code == 302


def test_a_coordinator_sees_only_their_own_municipality(coordinator_client, utrecht, amersfoort):
    assert coordinator_client.get("/t/any/").content == b"GM0344"
    assert coordinator_client.get("/t/m/GM0344/").status_code == 200
    assert coordinator_client.get("/t/m/GM0307/").status_code == 403
    assert coordinator_client.get("/t/m/GM9998/").status_code == 404


def test_a_round_of_another_municipality_is_refused(coordinator_client, utrecht, amersfoort):
    own = Round.objects.create(municipality=utrecht, kind=Round.Kind.CONTINUOUS, name="c")
    other = Round.objects.create(municipality=amersfoort, kind=Round.Kind.CONTINUOUS, name="c")
    assert coordinator_client.get(f"/t/r/{own.pk}/").status_code == 200
    assert coordinator_client.get(f"/t/r/{other.pk}/").status_code == 403


def test_a_revoked_role_no_longer_opens_pages(client, utrecht):
    user = make_coordinator("dave@utrecht.nl", utrecht)
    login_coordinator(client, user)
    user.coordinator_roles.update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/t/any/").status_code == 403
    assert client.get("/t/m/GM0344/").status_code == 403


@override_settings(ZELFSCAN_K=5)
def test_a_respondent_session_opens_no_coordinator_page(client, version, utrecht):
    from conftest import login, make_response

    login(client, make_response(version, utrecht))
    assert client.get("/t/m/GM0344/").status_code == 302
