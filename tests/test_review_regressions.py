"""Regression tests for the findings of the privacy and security review of 26 November 2026."""

import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone

from analysis.models import OpenDataOptIn
from analysis.opendata import published_municipalities
from analysis.tests.helpers import counts, snapshot
from api import tokens
from api.models import ApiToken
from conftest import make_response
from organisations.models import Municipality, Region
from rounds import services as round_services
from rounds.invitees import Invitee, parse_csv
from rounds.models import Round

pytestmark = pytest.mark.django_db


def open_round(municipality):
    today = timezone.localdate()
    return Round.objects.create(
        municipality=municipality, name="V", opens_on=today, closes_on=today + datetime.timedelta(days=20)
    )


@pytest.mark.parametrize(
    "path",
    [
        "/coordinator/",
        "/coordinator/GM0344/coordinators/",
        "/coordinator/GM0344/departments/",
        "/coordinator/GM0344/open-data/",
        "/coordinator/api-tokens/",
        "/coordinator/GM0344/roadmap/",
        "/coordinator/GM0344/roadmap/csv/",
        "round",
    ],
)
def test_coordinator_pages_are_never_cached(coordinator_client, utrecht, path):
    if path == "round":
        path = f"/coordinator/rounds/{open_round(utrecht).pk}/"
    page = coordinator_client.get(path)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/coordinator/GM0344/departments/", "delete"),
        ("/coordinator/GM0344/coordinators/", "revoke"),
        ("/coordinator/api-tokens/", "revoke"),
    ],
)
@pytest.mark.parametrize("value", ["abc", "", "1e3", "٣", "9" * 40, "-1"])
def test_tampered_ids_are_no_server_error(coordinator_client, path, field, value):
    assert coordinator_client.post(path, {field: value}).status_code in (302, 400)


def test_a_csv_with_a_huge_field_is_a_clear_error():
    parsed = parse_csv(b"email\n" + b'"' + b"a" * 200_000 + b'"\n')
    assert parsed.invitees == [] and parsed.errors and parsed.errors[0][0] == 0


def test_strangers_cannot_use_up_an_invitees_mail_cap(client, version, utrecht, settings):
    settings.ZELFSCAN_MAIL_CAP_PER_DAY = 3
    for _ in range(4):
        make_response(version, utrecht, email="anna@utrecht.nl")  # registrations by anyone
    capped_before = len([m for m in mail.outbox if m.to == ["anna@utrecht.nl"]])
    round_services.invite(open_round(utrecht), [Invitee("anna@utrecht.nl")], invited_by="test")
    from mailing.outbox import send_due

    send_due()
    to_anna = [m for m in mail.outbox if m.to == ["anna@utrecht.nl"]]
    assert capped_before <= 3
    assert any("/invitation/?t=" in m.body for m in to_anna)


def test_a_new_password_revokes_the_accounts_api_tokens(client, coordinator, sent_mail):
    import re

    token, _raw = tokens.issue(coordinator, "mine", 30)
    client.post("/coordinator/password/", {"email": "carol@utrecht.nl"})
    link = re.search(r"http://testserver(/coordinator/password/link/\?\S+)", sent_mail()[-1].body).group(1)
    form = client.get(link, follow=True)
    new = "een ander lang wachtwoord 7"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not ApiToken.objects.filter(user=coordinator, revoked_at__isnull=True).exists()


def test_open_data_decision_is_a_fixpoint(version):
    """A region of three opted-in municipalities, two of which lose their figures elsewhere: the
    third must lose its figure too, or the region minus it would give the other two's."""
    chosen, provinces, sizes, urbanisations = [], set(), {}, {}
    for m in Municipality.objects.filter(active=True, g4=False, g40=False).order_by("pk"):
        if m.province_code in provinces or sizes.get(m.size_class, 0) >= 2:
            continue
        if urbanisations.get(m.urbanisation_class, 0) >= 2:
            continue
        chosen.append(m)
        provinces.add(m.province_code)
        sizes[m.size_class] = sizes.get(m.size_class, 0) + 1
        urbanisations[m.urbanisation_class] = urbanisations.get(m.urbanisation_class, 0) + 1
        if len(chosen) == 6:
            break
    a, b, c, d, e, f = chosen
    for m, level in {a: 1, b: 3, c: 5, d: 2, e: 2, f: 4}.items():
        snapshot(m.pk, counts(level, 5), counts(5, 5))
    Region.objects.create(name="R1", slug="r1").municipalities.set([a, b, c])
    Region.objects.create(name="R2", slug="r2").municipalities.set([b, d, e])
    for m in (a, b, c):
        OpenDataOptIn.objects.create(municipality=m)
    shown = {r.group.value: r.statements[0].current.shown for r in published_municipalities(version)}
    region_members_shown = [shown[m.pk] for m in (a, b, c)]
    # All three or none: with one or two shown, the region minus them gives the others' figures.
    assert region_members_shown.count(True) in (0, 3)


def test_csv_import_of_tampered_input_is_reported(coordinator_client, utrecht):
    upload = io.BytesIO(b"email\n" + b'"' + b"a" * 200_000 + b'"\n')
    upload.name = "x.csv"
    round_ = open_round(utrecht)
    page = coordinator_client.post(f"/coordinator/rounds/{round_.pk}/invite/csv/", {"file": upload, "language": "nl"})
    assert page.status_code == 400 and "error-summary" in page.content.decode()
