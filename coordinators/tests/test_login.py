"""Signing in with password and TOTP code, first-time setup, signing out, password reset, granting."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from conftest import make_coordinator
from coordinators import services
from coordinators.models import CoordinatorRole, LoginSession

PASSWORD = "a-long-test-password-1"  # noqa: S105


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def sign_in_with_password(client, email="carol@utrecht.nl", password=PASSWORD, next_url=None):
    data = {"email": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/coordinator/login/", data)


@pytest.mark.django_db
def test_password_then_code_signs_in(client, coordinator):
    first = sign_in_with_password(client)
    assert first.status_code == 302 and first["Location"] == "/coordinator/login/code/"
    assert client.get("/coordinator/").status_code == 302  # not yet: password alone
    device = coordinator.totpdevice_set.get()
    second = client.post("/coordinator/login/code/", {"code": code_for(device)})
    assert second.status_code == 302 and second["Location"] == "/coordinator/"
    home = client.get("/coordinator/")
    assert home.status_code == 200
    assert "Utrecht" in home.content.decode()
    assert LoginSession.objects.filter(user=coordinator, ended_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_wrong_password_says_so_without_telling_which_part(client, coordinator):
    page = sign_in_with_password(client, password="wrong-password-123")
    assert page.status_code == 400
    assert "Het e-mailadres of het wachtwoord klopt niet." in page.content.decode()
    unknown = sign_in_with_password(client, email="nobody@utrecht.nl")
    assert "Het e-mailadres of het wachtwoord klopt niet." in unknown.content.decode()


@pytest.mark.django_db
def test_an_account_without_a_coordinator_role_cannot_sign_in(client, utrecht):
    get_user_model().objects.create_user("eve@utrecht.nl", "eve@utrecht.nl", PASSWORD)
    assert sign_in_with_password(client, email="eve@utrecht.nl").status_code == 400


@pytest.mark.django_db
def test_a_wrong_code_is_refused_in_plain_language(client, coordinator):
    sign_in_with_password(client)
    device = coordinator.totpdevice_set.get()
    wrong = "000000" if code_for(device) != "000000" else "111111"
    page = client.post("/coordinator/login/code/", {"code": wrong})
    assert page.status_code == 400
    assert "Deze code klopt niet." in page.content.decode()
    malformed = client.post("/coordinator/login/code/", {"code": "12ab"})
    assert "De code heeft 6 cijfers" in malformed.content.decode()
    assert client.get("/coordinator/").status_code == 302


@pytest.mark.django_db
def test_the_code_step_expires(client, coordinator, monkeypatch):
    sign_in_with_password(client)
    later = time.time() + 11 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    page = client.get("/coordinator/login/code/")
    assert page.status_code == 302 and page["Location"] == "/coordinator/login/"


@pytest.mark.django_db
def test_first_sign_in_sets_up_the_authenticator_app(client, utrecht):
    user = get_user_model().objects.create_user("frank@utrecht.nl", "frank@utrecht.nl", PASSWORD)
    CoordinatorRole.objects.create(user=user, municipality=utrecht)
    first = sign_in_with_password(client, email="frank@utrecht.nl")
    assert first["Location"] == "/coordinator/login/setup/"
    page = client.get("/coordinator/login/setup/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in body
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert client.get("/coordinator/login/setup/").status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1  # reloading keeps the same key
    done = client.post("/coordinator/login/setup/", {"code": code_for(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/coordinator/").status_code == 200
    assert AuditEvent.objects.filter(action="second_factor.added").exists()


@pytest.mark.django_db
def test_setup_is_not_offered_once_a_device_is_confirmed(client, coordinator):
    sign_in_with_password(client)
    assert client.get("/coordinator/login/setup/")["Location"] == "/coordinator/login/code/"


@pytest.mark.django_db
def test_next_is_followed_only_within_the_site(client, coordinator):
    sign_in_with_password(client, next_url="https://evil.example/")
    device = coordinator.totpdevice_set.get()
    done = client.post("/coordinator/login/code/", {"code": code_for(device)})
    assert done["Location"] == "/coordinator/"


@pytest.mark.django_db
def test_sign_out_ends_the_server_side_session(coordinator_client, coordinator):
    assert coordinator_client.get("/coordinator/").status_code == 200
    coordinator_client.post("/coordinator/logout/")
    assert LoginSession.objects.filter(user=coordinator, ended_at__isnull=True).count() == 0
    assert coordinator_client.get("/coordinator/").status_code == 302


@pytest.mark.django_db
def test_sign_out_needs_a_post(coordinator_client):
    assert coordinator_client.get("/coordinator/logout/").status_code == 405


@pytest.mark.django_db
def test_password_reset_through_the_outbox_signs_out_everywhere(client, coordinator, sent_mail):
    LoginSession.objects.create(user=coordinator, key_hash="x" * 64)
    page = client.post("/coordinator/password/", {"email": "Carol@Utrecht.nl"})
    assert page.status_code == 302
    messages = sent_mail()
    assert len(messages) == 1 and messages[0].to == ["carol@utrecht.nl"]
    link = re.search(r"http://testserver(/coordinator/password/link/\?\S+)", messages[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    token = link.split("t=")[1]
    assert form.redirect_chain[-1][0].endswith("/set-password/")
    assert all(token not in url.split("?")[0] for url, _status in form.redirect_chain)  # never in a logged path
    new_password = "another long password 42"  # noqa: S105
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password(new_password)
    assert LoginSession.objects.filter(user=coordinator, ended_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_unknown_addresses(client, coordinator, sent_mail):
    page = client.post("/coordinator/password/", {"email": "nobody@utrecht.nl"})
    assert page.status_code == 302
    assert sent_mail() == []


@pytest.mark.django_db
def test_a_coordinator_grants_the_role_to_a_colleague(coordinator_client, coordinator, utrecht, sent_mail):
    page = coordinator_client.post("/coordinator/GM0344/coordinators/", {"email": "Gina@Utrecht.nl", "language": "en"})
    assert page.status_code == 302
    gina = get_user_model().objects.get(username="gina@utrecht.nl")
    assert services.is_coordinator_of(gina, utrecht)
    assert not gina.has_usable_password()
    message = sent_mail()[-1]
    assert message.to == ["gina@utrecht.nl"]
    assert "/coordinator/password/" in message.body and "coordinator" in message.subject.lower()
    event = AuditEvent.objects.get(action="role.granted")
    assert event.municipality == "GM0344" and f"account#{coordinator.pk}" in event.actor
    assert "gina@utrecht.nl" not in event.target  # masked


@pytest.mark.django_db
def test_granting_twice_is_harmless(coordinator, utrecht):
    first = services.grant_role("gina@utrecht.nl", utrecht, granted_by=coordinator)
    again = services.grant_role("GINA@utrecht.nl", utrecht, granted_by=coordinator)
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(action="role.granted").count() == 1


@pytest.mark.django_db
def test_revoking_a_colleague_is_logged_and_takes_effect(coordinator_client, coordinator, utrecht):
    other = make_coordinator("hans@utrecht.nl", utrecht)
    role = other.coordinator_roles.get()
    coordinator_client.post("/coordinator/GM0344/coordinators/", {"revoke": role.pk})
    role.refresh_from_db()
    assert role.revoked_at is not None
    assert AuditEvent.objects.filter(action="role.revoked").count() == 1
    own = coordinator.coordinator_roles.get()
    coordinator_client.post("/coordinator/GM0344/coordinators/", {"revoke": own.pk})
    own.refresh_from_db()
    assert own.revoked_at is None  # nobody locks themselves out


@pytest.mark.django_db
def test_a_coordinator_cannot_grant_for_another_municipality(coordinator_client, amersfoort):
    page = coordinator_client.post("/coordinator/GM0307/coordinators/", {"email": "x@amersfoort.nl", "language": "nl"})
    assert page.status_code == 403
    assert not CoordinatorRole.objects.filter(municipality=amersfoort).exists()


@pytest.mark.django_db
def test_grant_form_errors_are_shown(coordinator_client):
    page = coordinator_client.post("/coordinator/GM0344/coordinators/", {"email": "not-an-address", "language": "nl"})
    assert page.status_code == 400
    assert "error-summary" in page.content.decode()
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_an_administrator_grants_and_revokes_through_the_admin_with_audit(client, utrecht, sent_mail):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(admin)
    page = client.post(
        "/admin/coordinators/coordinatorrole/add/",
        {"email": "ida@utrecht.nl", "language": "nl", "municipality": "GM0344"},
    )
    assert page.status_code == 302
    role = CoordinatorRole.objects.get(user__username="ida@utrecht.nl")
    assert AuditEvent.objects.filter(action="role.granted", municipality="GM0344").count() == 1
    listing = client.get("/admin/coordinators/coordinatorrole/")
    assert b"ida@utrecht.nl" not in listing.content  # masked in lists
    client.post(
        "/admin/coordinators/coordinatorrole/",
        {"action": "revoke", "_selected_action": [role.pk]},
    )
    role.refresh_from_db()
    assert role.revoked_at is not None
    assert AuditEvent.objects.filter(action="role.revoked").count() == 1


@pytest.mark.django_db
def test_invitees_are_masked_in_the_admin(client, utrecht):
    from rounds.models import Invitation, Round

    admin = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(admin)
    round_ = Round.objects.create(municipality=utrecht, kind=Round.Kind.CONTINUOUS, name="c")
    invitation = Invitation.objects.create(round=round_, email="secret.person@utrecht.nl", name="Anna")
    listing = client.get("/admin/rounds/invitation/")
    assert listing.status_code == 200 and b"secret.person@utrecht.nl" not in listing.content
    detail = client.get(f"/admin/rounds/invitation/{invitation.pk}/change/")
    assert b"secret.person@utrecht.nl" not in detail.content
    assert client.get("/admin/rounds/invitation/?email__startswith=s").status_code in (302, 400)


@pytest.mark.django_db
def test_failed_sign_ins_are_limited_per_address(client, coordinator, settings):
    settings.ZELFSCAN_RATE_PER_ACCOUNT = "3/h"
    for _ in range(3):
        assert sign_in_with_password(client, password="wrong-password-123").status_code == 400
    refused = sign_in_with_password(client)  # even the right password, for now
    assert refused.status_code == 429 and refused["Retry-After"]
    body = refused.content.decode()
    assert 'value="carol@utrecht.nl"' in body  # what was typed is kept
    other = sign_in_with_password(client, email="nobody@utrecht.nl", password="x" * 12)
    assert other.status_code == 400  # another address is not held up


@pytest.mark.django_db
def test_password_reset_mails_are_limited_per_address(client, coordinator, settings, sent_mail):
    settings.ZELFSCAN_RATE_PER_ADDRESS = "2/h"
    for _ in range(2):
        assert client.post("/coordinator/password/", {"email": "carol@utrecht.nl"}).status_code == 302
    assert client.post("/coordinator/password/", {"email": "carol@utrecht.nl"}).status_code == 429
    assert len(sent_mail()) == 2
