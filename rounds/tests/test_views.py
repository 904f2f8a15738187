"""Coordinator pages of rounds, inviting, reminders, and the invitee's link."""

import datetime
import io
import re

import pytest
from django.utils import timezone

from assessments.models import Response
from audit.models import AuditEvent
from conftest import login, make_response
from rounds import services
from rounds.models import Department, Invitation, Round

pytestmark = pytest.mark.django_db


def named(municipality, **extra):
    today = timezone.localdate()
    return Round.objects.create(
        municipality=municipality,
        name=extra.pop("name", "Voorjaar"),
        opens_on=extra.pop("opens_on", today),
        closes_on=extra.pop("closes_on", today + datetime.timedelta(days=20)),
        **extra,
    )


def test_open_a_round(coordinator_client, utrecht):
    today = timezone.localdate()
    page = coordinator_client.post(
        "/coordinator/GM0344/rounds/new/",
        {
            "name": "Voorjaar 2027",
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
            "grace_days": "7",
            "invite_only": "on",
        },
    )
    round_ = Round.objects.get(name="Voorjaar 2027")
    assert page.status_code == 302 and page["Location"] == f"/coordinator/rounds/{round_.pk}/"
    assert round_.municipality == utrecht and round_.invite_only and round_.kind == Round.Kind.NAMED
    assert AuditEvent.objects.filter(action="round.opened", municipality="GM0344").exists()
    assert coordinator_client.get(page["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (-1, 10, "kan niet in het verleden openen"),
        (5, 2, "op of na de openingsdatum"),
        (0, 400, "hooguit een jaar"),
    ],
)
def test_round_dates_are_checked(coordinator_client, opens, closes, message):
    today = timezone.localdate()
    page = coordinator_client.post(
        "/coordinator/GM0344/rounds/new/",
        {
            "name": "X",
            "opens_on": (today + datetime.timedelta(days=opens)).isoformat(),
            "closes_on": (today + datetime.timedelta(days=closes)).isoformat(),
            "grace_days": "7",
        },
    )
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not Round.objects.filter(name="X").exists()


def test_rounds_of_one_municipality_cannot_overlap(coordinator_client, utrecht):
    named(utrecht)
    today = timezone.localdate()
    page = coordinator_client.post(
        "/coordinator/GM0344/rounds/new/",
        {"name": "Y", "opens_on": today.isoformat(), "closes_on": today.isoformat(), "grace_days": "7"},
    )
    assert page.status_code == 400 and "overlapt" in page.content.decode()


def test_malformed_round_form(coordinator_client):
    page = coordinator_client.post(
        "/coordinator/GM0344/rounds/new/", {"name": "", "opens_on": "soon", "closes_on": "", "grace_days": "999"}
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "Geef de ronde een naam." in body and "error-summary" in body


def test_invite_by_pasting(coordinator_client, utrecht, sent_mail):
    round_ = named(utrecht)
    page = coordinator_client.post(
        f"/coordinator/rounds/{round_.pk}/invite/", {"addresses": "a@utrecht.nl\nb@utrecht.nl", "language": "en"}
    )
    assert page.status_code == 302
    assert sorted(round_.invitations.values_list("email", flat=True)) == ["a@utrecht.nl", "b@utrecht.nl"]
    messages = sent_mail()
    assert sorted(m.to[0] for m in messages) == ["a@utrecht.nl", "b@utrecht.nl"]
    assert all("/invitation/?t=" in m.body for m in messages)
    assert all(m.subject.startswith("Invitation") for m in messages)  # English, as chosen
    again = coordinator_client.post(
        f"/coordinator/rounds/{round_.pk}/invite/", {"addresses": "A@utrecht.nl", "language": "nl"}
    )
    assert again.status_code == 302
    assert round_.invitations.count() == 2  # already invited: skipped


def test_invite_by_csv_reports_rows_and_adds_departments(coordinator_client, utrecht, sent_mail):
    round_ = named(utrecht)
    upload = io.BytesIO(b"email;name;department;role\nanna@utrecht.nl;Anna;Ruimte;policy\nbroken;X;;\n")
    upload.name = "collega's.csv"
    page = coordinator_client.post(f"/coordinator/rounds/{round_.pk}/invite/csv/", {"file": upload, "language": "nl"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Regel 3:" in body and "geen geldig e-mailadres" in body
    invitation = round_.invitations.get()
    assert (invitation.email, invitation.name, invitation.department, invitation.role) == (
        "anna@utrecht.nl",
        "Anna",
        "Ruimte",
        "policy",
    )
    assert Department.objects.filter(municipality=utrecht, name="Ruimte").exists()
    assert len(sent_mail()) == 1


def test_an_oversized_csv_is_refused_with_a_message(coordinator_client, utrecht):
    round_ = named(utrecht)
    upload = io.BytesIO(b"email\n" + b"a" * (1024 * 1024 + 10))
    upload.name = "big.csv"
    page = coordinator_client.post(f"/coordinator/rounds/{round_.pk}/invite/csv/", {"file": upload, "language": "nl"})
    assert page.status_code == 400
    assert "groter dan 1 MB" in page.content.decode()
    assert not round_.invitations.exists()


def test_a_coordinator_cannot_see_or_invite_to_another_municipalitys_round(coordinator_client, amersfoort):
    round_ = named(amersfoort)
    Invitation.objects.create(round=round_, email="secret@amersfoort.nl")
    page = coordinator_client.get(f"/coordinator/rounds/{round_.pk}/")
    assert page.status_code == 403 and b"secret@amersfoort.nl" not in page.content
    post = coordinator_client.post(
        f"/coordinator/rounds/{round_.pk}/invite/", {"addresses": "x@a.nl", "language": "nl"}
    )
    assert post.status_code == 403
    assert coordinator_client.post(f"/coordinator/rounds/{round_.pk}/remind/").status_code == 403
    assert coordinator_client.get("/coordinator/GM0307/departments/").status_code == 403
    assert coordinator_client.get("/coordinator/GM0307/rounds/new/").status_code == 403


@pytest.mark.parametrize(
    "url", ["/coordinator/", "/coordinator/GM0344/rounds/new/", "/coordinator/GM0344/departments/"]
)
def test_anonymous_users_and_respondents_never_see_coordinator_pages(client, version, utrecht, url):
    assert client.get(url).status_code == 302
    login(client, make_response(version, utrecht))
    assert client.get(url).status_code == 302


def test_invitee_status_follows_their_response(version, utrecht):
    round_ = named(utrecht)
    invitation = Invitation.objects.create(round=round_, email="anna@utrecht.nl")
    assert invitation.status == Invitation.Status.INVITED
    response = services.accept_invitation(invitation, name="Anna", domain="it", role="policy", department="")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED
    assert response.round == round_ and response.email_confirmed_at is not None
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.FINISHED


def test_the_invitation_link_starts_the_response(client, utrecht, version, sent_mail):
    round_ = named(utrecht)
    services.invite(round_, services_invitees("anna@utrecht.nl"), invited_by="test")
    link = re.search(r"http://testserver(/invitation/\?t=\S+)", sent_mail()[0].body).group(1)
    page = client.get(link)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]
    token = link.split("t=")[1]
    incomplete = client.post("/invitation/", {"t": token, "name": "Anna"})
    assert incomplete.status_code == 400 and "Kies het werkveld" in incomplete.content.decode()
    started = client.post("/invitation/", {"t": token, "name": "Anna", "domain": "it", "role": "policy"})
    response = Response.objects.get(email="anna@utrecht.nl")
    assert started.status_code == 302 and started["Location"] == f"/scan/{response.public_id}/"
    assert response.round == round_ and response.name == "Anna"
    again = client.post("/invitation/", {"t": token})  # second device, or a double click
    assert again.status_code == 302
    assert Response.objects.filter(email="anna@utrecht.nl").count() == 1


def test_tampered_expired_and_closed_invitation_links(client, utrecht, settings):
    assert client.get("/invitation/?t=tampered").status_code == 404
    assert client.post("/invitation/", {"t": "x" * 500}).status_code == 404
    round_ = named(utrecht)
    invitation = Invitation.objects.create(round=round_, email="anna@utrecht.nl")
    raw = services.issue_invitation_token(invitation)
    invitation.tokens.update(
        created_at=timezone.now() - datetime.timedelta(days=settings.ZELFSCAN_LINK_VALIDITY_DAYS + 1)
    )
    assert client.get(f"/invitation/?t={raw}").status_code == 410
    fresh = services.issue_invitation_token(invitation)
    Round.objects.filter(pk=round_.pk).update(closed_at=timezone.now())
    page = client.get(f"/invitation/?t={fresh}")
    assert page.status_code == 410 and "doorlopende ronde" in page.content.decode()


def services_invitees(*emails):
    from rounds.invitees import Invitee

    return [Invitee(email) for email in emails]


def test_reminders_at_most_every_three_days_and_three_in_all(utrecht, sent_mail):
    round_ = named(utrecht, closes_on=timezone.localdate() + datetime.timedelta(days=60))
    services.invite(round_, services_invitees("anna@utrecht.nl"), invited_by="test")
    sent_mail()
    invitation = round_.invitations.get()
    now = invitation.invited_at
    assert services.send_reminders(round_, now + datetime.timedelta(days=2, hours=23)) == 0
    sent = 0
    for day in (3, 4, 6, 9, 12, 15):
        sent += services.send_reminders(round_, now + datetime.timedelta(days=day))
    assert sent == 3  # days 3, 6 and 9; day 4 too soon, day 12 and 15 over the maximum
    reminders = sent_mail()[1:]
    assert len(reminders) == 3 and all("/invitation/no-reminders/?t=" in m.body for m in reminders)


def test_no_reminder_after_finishing_or_opting_out(client, utrecht, version, sent_mail):
    round_ = named(utrecht, closes_on=timezone.localdate() + datetime.timedelta(days=60))
    services.invite(round_, services_invitees("anna@utrecht.nl", "bob@utrecht.nl"), invited_by="test")
    anna, bob = round_.invitations.order_by("email")
    response = services.accept_invitation(anna, name="", domain="it", role="policy", department="")
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())
    opt_out = services.opt_out_link(bob).split("testserver")[1]
    assert client.get(opt_out).status_code == 200
    assert client.post("/invitation/no-reminders/", {"t": opt_out.split("t=")[1]}).status_code == 200
    bob.refresh_from_db()
    assert bob.opted_out_at is not None
    assert services.send_reminders(round_, timezone.now() + datetime.timedelta(days=4)) == 0
    assert client.get("/invitation/no-reminders/?t=forged").status_code == 404


def test_remind_button_and_command(coordinator_client, utrecht):
    from django.core.management import call_command

    round_ = named(utrecht, closes_on=timezone.localdate() + datetime.timedelta(days=60))
    invitation = Invitation.objects.create(round=round_, email="anna@utrecht.nl")
    Invitation.objects.filter(pk=invitation.pk).update(invited_at=timezone.now() - datetime.timedelta(days=4))
    page = coordinator_client.post(f"/coordinator/rounds/{round_.pk}/remind/", follow=True)
    assert "1 herinnering is verstuurd." in page.content.decode()
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "Reminders queued: 0" in out.getvalue()  # the next one only after 3 more days


def test_departments_page(coordinator_client, utrecht):
    assert (
        coordinator_client.post("/coordinator/GM0344/departments/", {"name": "  Ruimte  en wonen "}).status_code == 302
    )
    department = Department.objects.get(municipality=utrecht)
    assert department.name == "Ruimte en wonen"
    duplicate = coordinator_client.post("/coordinator/GM0344/departments/", {"name": "ruimte EN wonen"})
    assert duplicate.status_code == 400 and "staat al op de lijst" in duplicate.content.decode()
    coordinator_client.post("/coordinator/GM0344/departments/", {"delete": department.pk})
    assert not Department.objects.exists()


def test_close_rounds_command(utrecht):
    from django.core.management import call_command

    today = timezone.localdate()
    named(utrecht, opens_on=today - datetime.timedelta(days=40), closes_on=today - datetime.timedelta(days=20))
    out = io.StringIO()
    call_command("close_rounds", stdout=out)
    assert "Rounds closed: 1" in out.getvalue()


def test_typing_an_invitees_address_never_takes_over_the_invitation(utrecht, version, sent_mail):
    """Review finding: someone who types an invitee's address on /start/ must not get the
    invitation linked to their unconfirmed response, nor see what the invitee enters."""
    from django.test import Client

    attacker, anna = Client(), Client()
    round_ = named(utrecht)
    services.invite(round_, services_invitees("anna@utrecht.nl"), invited_by="test")
    link = re.search(r"http://testserver(/invitation/\?t=\S+)", sent_mail()[0].body).group(1)
    registered = attacker.post(
        "/start/",
        {"email": "anna@utrecht.nl", "municipality": "Utrecht", "domain": "it", "role": "policy", "language": "nl"},
    )
    assert registered.status_code == 302
    typed = Response.objects.get(email="anna@utrecht.nl")
    assert Invitation.objects.get().response is None
    started = anna.post("/invitation/", {"t": link.split("t=")[1], "domain": "data", "role": "policy"})
    own = Response.objects.exclude(pk=typed.pk).get(email="anna@utrecht.nl")
    assert started["Location"] == f"/scan/{own.public_id}/"
    assert own.email_confirmed_at is not None and Invitation.objects.get().response == own
    assert attacker.get(f"/scan/{own.public_id}/theme/1/").status_code == 403


def test_a_self_registered_invitee_is_linked_once_they_confirm(utrecht, version):
    from conftest import confirm

    round_ = named(utrecht)
    invitation = Invitation.objects.create(round=round_, email="anna@utrecht.nl")
    response = make_response(version, utrecht, email="Anna@Utrecht.nl")
    invitation.refresh_from_db()
    assert invitation.response is None
    confirm(response)
    invitation.refresh_from_db()
    assert invitation.response == response
