"""The coordinator's whole journey in Chromium, with axe-core (WCAG 2.1 A/AA) on every page on the
way: signing in with a password and a second factor set up on the spot, opening an invite-only
round, inviting colleagues by CSV (the e-mails captured), a colleague answering through their
invitation link, the organisation report once K colleagues finished, and a roadmap item."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from assessments.models import Response
from conftest import answer_all
from coordinators.models import CoordinatorRole
from rounds import services as round_services
from rounds.models import Invitation, Round

from .helpers import RADIO_INDEX, mails_to, press_action, statement_keys, submit_main_form
from .test_accessibility import PageChecker

pytestmark = pytest.mark.browser

PASSWORD = "een lange zin als wachtwoord"  # noqa: S105
INVITEES = ["anna", "bram", "cees", "dewi", "eva"]
INVITATION_PATH = re.compile(r"https?://[^/\s]+(/invitation/\?t=[\w-]+)")


def submit(page) -> None:
    """Press the page's own form button (the sign-out button in the coordinator menu is a form too)."""
    page.locator('main form:not([action="/coordinator/logout/"]) button[type=submit]').first.click()


def current_code(key_text: str) -> str:
    import base64

    key = base64.b32decode(key_text.replace(" ", ""))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def test_coordinator_journey(new_context, live_server, version, utrecht, tmp_path):
    check = PageChecker("axe")
    user = get_user_model().objects.create_user("carol@utrecht.nl", "carol@utrecht.nl", PASSWORD)
    CoordinatorRole.objects.create(user=user, municipality=utrecht, granted_by="test")
    page = new_context().new_page()

    # Sign in: password, then setting up the authenticator app (first sign-in).
    page.goto("/coordinator/")
    expect(page).to_have_url(re.compile(r"/coordinator/login/\?next="))
    check(page, "sign in")
    page.locator("#id_email").fill("carol@utrecht.nl")
    page.locator("#id_password").fill("wrong password 123")
    submit_main_form(page)
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "sign in with an error")
    page.locator("#id_password").fill(PASSWORD)
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/coordinator/login/setup/$"))
    check(page, "second factor setup")
    key = page.locator("code.key").inner_text()
    page.locator("#id_code").fill(current_code(key))
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/coordinator/$"))
    check(page, "coordinator overview")

    # Open an invite-only round.
    page.locator('main a[href="/coordinator/GM0344/rounds/new/"]').click()
    check(page, "new round")
    today = timezone.localdate()
    page.locator("#id_name").fill("Voorjaar 2027")
    page.locator("#id_opens_on").fill(today.isoformat())
    page.locator("#id_closes_on").fill((today + datetime.timedelta(days=30)).isoformat())
    page.locator("#id_invite_only").check()
    submit(page)
    expect(page).to_have_url(re.compile(r"/coordinator/rounds/\d+/$"))
    round_ = Round.objects.get(name="Voorjaar 2027")
    assert round_.invite_only and round_.municipality == utrecht
    check(page, "round, nobody invited yet")

    # Invite by CSV: five colleagues and one broken row.
    rows = ["e-mail;naam;afdeling;rol"] + [f"{n}@utrecht.nl;{n.title()};Ruimte;policy" for n in INVITEES]
    csv_file = tmp_path / "collegas.csv"
    csv_file.write_text("\n".join(rows + ["geen-adres;X;;"]) + "\n", encoding="utf-8")
    page.locator("#id_file").set_input_files(str(csv_file))
    page.locator('main form[action$="/invite/csv/"] button[type=submit]').click()
    expect(page.locator(".error-summary")).to_contain_text("Regel 7")
    check(page, "round, CSV with a broken row")
    assert Invitation.objects.filter(round=round_).count() == 5
    expect(page.locator("main table tbody tr")).to_have_count(5)
    invitation_mail = mails_to("anna@utrecht.nl")[-1]
    invitation_path = INVITATION_PATH.search(invitation_mail.body).group(1)

    # Anna answers through her invitation link, in her own browser.
    anna = new_context().new_page()
    anna.goto(invitation_path)
    check(anna, "invitation: confirm details")
    anna.locator("#id_domain").select_option("it")
    anna.locator('label[for="id_role_2"]').click()
    submit_main_form(anna)
    expect(anna).to_have_url(re.compile(r"/scan/[0-9a-f-]+/theme/1/$"))
    for _number in range(1, 7):
        for key in statement_keys(anna):
            anna.locator(f'label[for="id_{key}-current_{RADIO_INDEX[2]}"]').click()
            anna.locator(f'label[for="id_{key}-desired_{RADIO_INDEX[4]}"]').click()
        press_action(anna, "next")
    expect(anna).to_have_url(re.compile(r"/review/$"))
    submit_main_form(anna)
    expect(anna).to_have_url(re.compile(r"/report/$"))
    anna_response = Response.objects.get(email="anna@utrecht.nl")
    assert anna_response.round == round_ and anna_response.counted_at is not None

    # The other four answer too (through the same service the invitation page calls).
    from assessments import services

    for invitation in Invitation.objects.filter(round=round_).exclude(email="anna@utrecht.nl"):
        response = round_services.accept_invitation(invitation, name="", domain="data", role="policy", department="")
        answer_all(response, current=3, desired=4)
        services.submit(response)

    # The round page shows who finished; the organisation report has the figures now.
    page.reload()
    expect(page.locator("main .facts")).to_contain_text("5 klaar")
    page.locator(f'main a[href="/coordinator/rounds/{round_.pk}/report/"]').click()
    expect(page.locator("main")).to_contain_text("2,8")  # (2 + 3 + 3 + 3 + 3) / 5, statement by statement
    check(page, "organisation report of the new round")

    # A roadmap item from the proposals.
    page.goto(f"/coordinator/{utrecht.pk}/roadmap/?round={round_.pk}")
    page.locator('main form[action$="/roadmap/items/new/"] button').first.click()
    expect(page).to_have_url(re.compile(r"/roadmap/items/\d+/$"))
    page.locator("#id_actions").fill("Visie laten vaststellen door het college")
    page.locator("main form", has=page.locator("#id_actions")).locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/roadmap/$"))
    expect(page.locator("main")).to_contain_text("Visie laten vaststellen door het college")

    # The other coordinator pages.
    for path, label in [
        ("/coordinator/GM0344/departments/", "departments"),
        ("/coordinator/GM0344/coordinators/", "coordinators"),
        ("/coordinator/GM0344/open-data/", "open data consent"),
        ("/coordinator/api-tokens/", "API tokens"),
    ]:
        page.goto(path)
        check(page, label)
    page.locator("#id_name").fill("Dashboard")
    submit(page)
    expect(page.locator("main code.key")).to_be_visible()
    check(page, "API token shown once")

    # Reminders: an opt-out link from a reminder e-mail.
    opt_out = round_services.opt_out_link(Invitation.objects.get(round=round_, email="bram@utrecht.nl"))
    page.goto(opt_out.split("testserver", 1)[1])
    check(page, "no more reminders")

    # Sign out: the coordinator pages ask to sign in again.
    page.goto("/coordinator/")
    page.locator("nav.coordinator-nav button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/coordinator/login/$"))
    page.goto("/coordinator/password/")
    check(page, "forgot password")
    page.goto("/coordinator/")
    expect(page).to_have_url(re.compile(r"/coordinator/login/\?next="))
    check.assert_clean(16)
