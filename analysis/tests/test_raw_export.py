"""The pseudonymised raw export: administrators only, no personal details, audit-logged."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from analysis.raw import COLUMNS
from audit.models import AuditEvent
from conftest import counted_response, login_coordinator, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(version, utrecht):
    response = counted_response(version, utrecht, "anna.devries@utrecht.nl", current=2, desired=4)
    response.answers.update(note="=HYPERLINK(secret note)")
    response.name = "Anna de Vries"
    response.department = "Ruimte"
    response.save()
    make_response(version, utrecht, email="not.submitted@utrecht.nl")  # unfinished: left out
    return response


def superuser_client(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-123")
    client.force_login(admin)
    return client


def test_superuser_downloads_rows_without_personal_details(client, data):
    superuser_client(client)
    assert client.get("/admin/raw-export/").status_code == 200
    reply = client.post("/admin/raw-export/", {"version": "2026.1"})
    assert reply.status_code == 200 and reply["Content-Type"].startswith("text/csv")
    text = reply.content.decode()
    for secret in ("anna.devries", "Anna de Vries", "Ruimte", "HYPERLINK", "secret note", "not.submitted", "policy"):
        assert secret not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 21
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert (first["municipality"], first["statement"], first["current"], first["desired"]) == ("GM0344", "A1", "2", "4")
    assert first["counted"] == "True" and len(first["respondent"]) == 16
    assert AuditEvent.objects.filter(action="export.raw", detail__rows=21).count() == 1


def test_the_same_person_keeps_one_pseudonym_across_responses(client, version, utrecht, data):
    counted_response(version, utrecht, "anna.devries@utrecht.nl", current=3)
    superuser_client(client)
    rows = list(csv.DictReader(io.StringIO(client.post("/admin/raw-export/", {"version": ""}).content.decode())))
    assert len({row["respondent"] for row in rows}) == 1
    assert len({row["response"] for row in rows}) == 2


@pytest.mark.parametrize("who", ["anonymous", "staff", "coordinator"])
def test_nobody_else_gets_the_raw_export(client, data, who, coordinator):
    if who == "staff":
        staff = get_user_model().objects.create_user("staff", "s@example.org", "a-long-password-123", is_staff=True)
        client.force_login(staff)
    elif who == "coordinator":
        login_coordinator(client, coordinator)
    reply = client.post("/admin/raw-export/", {"version": ""})
    assert reply.status_code in (302, 403)
    assert b"GM0344" not in reply.content
    assert not AuditEvent.objects.filter(action="export.raw").exists()


def test_the_command_writes_the_same_rows(tmp_path, data):
    target = tmp_path / "raw.csv"
    call_command("export_raw", str(target), stdout=io.StringIO())
    rows = list(csv.reader(target.open()))
    assert rows[0] == COLUMNS and len(rows) == 22
    assert AuditEvent.objects.filter(action="export.raw", actor="command export_raw").exists()
