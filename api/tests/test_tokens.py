"""API tokens and one municipality's aggregates: who may read what, and the same numbers as the
coordinator and the report see."""

import datetime

import pytest
from django.utils import timezone

from api import tokens
from api.models import ApiToken
from audit.models import AuditEvent
from conftest import counted_response, login_coordinator, make_coordinator
from coordinators.models import AnalystRole

pytestmark = pytest.mark.django_db
URL = "/api/v1/municipalities/{}/aggregates/"


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def five_in_utrecht(version, utrecht):
    """Five counted responses: now 2,2,3,3,4 and desired 4 on every statement (mean now 2.8)."""
    for index, level in enumerate([2, 2, 3, 3, 4]):
        counted_response(version, utrecht, f"u{index}@utrecht.nl", current=level, desired=4)


def test_a_coordinators_token_reads_their_own_municipality(client, coordinator, five_in_utrecht):
    token, raw = tokens.issue(coordinator, "dashboard", 30)
    assert raw.startswith("zs_") and token.token_hash != raw and raw not in token.prefix + token.name
    body = client.get(URL.format("GM0344"), **bearer(raw)).json()
    assert body["shown"] is True and body["k"] == 5 and body["municipalities"] == 1
    first = body["statements"][0]
    assert first["current"]["n"] == 5 and first["current"]["mean"] == 2.8  # (2+2+3+3+4)/5
    assert first["desired"]["mean"] == 4.0 and first["gap"] == 1.2
    assert first["current"]["distribution"] is None  # n = 5 < 2K
    assert body["period"]["round"] == "Continuous round" or body["period"]["round"] == "Doorlopende ronde"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditEvent.objects.filter(action="token.used", municipality="GM0344").count() == 1


def test_a_coordinators_token_cannot_read_another_municipality(client, coordinator, version, amersfoort):
    for index in range(5):
        counted_response(version, amersfoort, f"a{index}@amersfoort.nl")
    _token, raw = tokens.issue(coordinator, "dashboard", 30)
    response = client.get(URL.format("GM0307"), **bearer(raw))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert b"mean" not in response.content


def test_an_analyst_reads_every_municipality(client, version, amersfoort):
    analyst = make_coordinator("nina@network.nl")  # no municipality
    AnalystRole.objects.create(user=analyst)
    for index in range(5):
        counted_response(version, amersfoort, f"a{index}@amersfoort.nl", current=3)
    _token, raw = tokens.issue(analyst, "analysis", 30)
    body = client.get(URL.format("GM0307"), **bearer(raw)).json()
    assert body["statements"][0]["current"]["mean"] == 3.0


def test_below_k_only_the_reason(client, coordinator, version, utrecht):
    for index in range(4):
        counted_response(version, utrecht, f"u{index}@utrecht.nl")
    _token, raw = tokens.issue(coordinator, "dashboard", 30)
    body = client.get(URL.format("GM0344"), **bearer(raw)).json()
    assert body["shown"] is False and body["reason"] == "below_k" and body["statements"] == []


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("", "unauthorized"),
        ("Bearer zs_forged-token", "unauthorized"),
        ("Basic dXNlcjpwYXNz", "unauthorized"),
        ("Bearer " + "zs_" + "x" * 200, "unauthorized"),
    ],
)
def test_missing_forged_and_malformed_tokens(client, coordinator, header, code):
    response = client.get(URL.format("GM0344"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_expired_tokens(client, coordinator, five_in_utrecht):
    token, raw = tokens.issue(coordinator, "dashboard", 30)
    tokens.revoke(token, coordinator)
    assert client.get(URL.format("GM0344"), **bearer(raw)).status_code == 401
    token2, raw2 = tokens.issue(coordinator, "dashboard", 30)
    ApiToken.objects.filter(pk=token2.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(URL.format("GM0344"), **bearer(raw2))
    assert response.status_code == 401 and "expired" in response.json()["error"]["message"]


def test_a_revoked_role_takes_the_tokens_rights_away(client, coordinator, five_in_utrecht):
    _token, raw = tokens.issue(coordinator, "dashboard", 30)
    coordinator.coordinator_roles.update(revoked_at=timezone.now())
    assert client.get(URL.format("GM0344"), **bearer(raw)).status_code == 403


def test_the_token_page_shows_a_new_token_once(client, coordinator):
    login_coordinator(client, coordinator)
    page = client.post("/coordinator/api-tokens/", {"name": "Dashboard", "days": "30"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=coordinator)
    body = page.content.decode()
    raw = body.split('<code class="key">')[1].split("</code>")[0]
    assert ApiToken.hash(raw) == token.token_hash
    assert "no-store" in page["Cache-Control"]
    again = client.get("/coordinator/api-tokens/").content.decode()
    assert raw not in again and token.prefix in again
    client.post("/coordinator/api-tokens/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action__in=["token.created", "token.revoked"]).count() == 2


def test_token_form_errors(client, coordinator):
    login_coordinator(client, coordinator)
    page = client.post("/coordinator/api-tokens/", {"name": "", "days": "999"})
    assert page.status_code == 400 and "error-summary" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(client, coordinator, utrecht):
    other = make_coordinator("otto@utrecht.nl", utrecht)
    token, _raw = tokens.issue(other, "theirs", 30)
    login_coordinator(client, coordinator)
    client.post("/coordinator/api-tokens/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_needs_a_signed_in_account(client, version, utrecht):
    assert client.get("/coordinator/api-tokens/").status_code == 302


def test_api_equals_the_round_snapshot_the_report_uses(client, coordinator, five_in_utrecht, utrecht):
    from reports.aggregates import comparison_for

    _token, raw = tokens.issue(coordinator, "dashboard", 30)
    body = client.get(URL.format("GM0344"), **bearer(raw)).json()
    comparison = comparison_for(utrecht)
    for row in body["statements"]:
        lineage = row["lineage"]
        assert row["current"]["mean"] == float(comparison.figure(lineage, "current").mean)
        assert row["desired"]["n"] == comparison.figure(lineage, "desired").n


def test_an_analyst_signs_in_to_the_overview_and_token_page(client):
    analyst = make_coordinator("nina@network.nl")
    AnalystRole.objects.create(user=analyst)
    login_coordinator(client, analyst)
    home = client.get("/coordinator/")
    assert home.status_code == 200 and "/coordinator/api-tokens/" in home.content.decode()
    assert client.get("/coordinator/api-tokens/").status_code == 200
    assert client.get("/coordinator/GM0344/departments/").status_code == 403  # no municipality of theirs
