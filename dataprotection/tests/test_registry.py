"""The registry covers every table that holds an e-mail address, and each entry behaves."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from dataprotection.registry import TABLES, Subject, personal_data_tables

# Tables the registry covers, by the model whose rows hold the address.
COVERED = {
    "responses": "assessments.Response",
    "invitations": "rounds.Invitation",
    "contact_requests": "contact.ContactRequest",
    "outbox_messages": "mailing.OutboxMessage",
    "data_requests": "dataprotection.DataRequest",
}
# Tables with an address that respondents' rights and retention do not reach, and why.
NOT_COVERED = {
    # Administrators' and coordinators' accounts: they are staff with a role, managed (and removed)
    # by an administrator; the DPIA describes them.
    "auth.User": "accounts",
}
ADDRESS_FIELDS = {"email", "identity", "to"}
# Tables the registry covers that hold a keyed hash of an address instead of the address.
HASHED = {"rate_limit_counters": "throttling.Counter"}


def models_with_addresses() -> set[str]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.EmailField) or getattr(field, "name", None) in ADDRESS_FIELDS:
                found.add(model._meta.label)
    return found


def test_every_table_with_an_address_is_in_the_registry_or_explained():
    assert models_with_addresses() == set(COVERED.values()) | set(NOT_COVERED)


def test_the_registry_lists_each_covered_table_once():
    names = [table.name for table in personal_data_tables()]
    assert names == list(dict.fromkeys(names))
    assert set(names) == set(COVERED) | set(HASHED)
    assert len(TABLES) == len(names)
    assert names[0] == "responses"  # tables that refer to responses run after it


@pytest.mark.parametrize("table", personal_data_tables(), ids=lambda t: t.name)
def test_each_entry_works_on_an_empty_database(db, table):
    now = timezone.now()
    assert table.expire(cutoff=now, now=now, dry_run=True) == 0
    assert table.expire(cutoff=now, now=now, dry_run=False) == 0
    assert table.export(Subject("nobody@example.org")) == []
    assert table.delete(Subject("nobody@example.org")) == 0


@pytest.mark.parametrize(
    ("address", "owned"),
    [
        ("jan@utrecht.nl", True),
        ("JAN@Utrecht.NL", True),
        ("jan+werk@utrecht.nl", True),
        ("jan@utrecht.nl.evil.org", False),
        ("ajan@utrecht.nl", False),
        ("jan@amersfoort.nl", False),
        ("", False),
    ],
)
def test_a_subject_owns_the_addresses_that_count_as_one_person(address, owned):
    assert Subject.of("jan@utrecht.nl").owns(address) is owned


def test_gmail_dots_and_googlemail_are_one_subject():
    subject = Subject.of("j.jansen@gmail.com")
    assert subject.owns("jjansen@googlemail.com")
    assert subject.owns("J.Jansen+zelfscan@gmail.com")


@pytest.mark.parametrize("identity", ["", "no-address", "erased-12@erased.invalid"])
def test_a_subject_needs_a_real_address(identity):
    with pytest.raises(ValueError):
        Subject(identity)


def test_subject_rows_narrow_by_domain_and_match_exactly(db):
    from contact.models import ContactRequest

    def make(email):
        return ContactRequest.objects.create(name="x", email=email, organisation="o", message="m", language="nl")

    mine = [make("jan@utrecht.nl"), make("Jan+1@UTRECHT.nl")]
    make("janneke@utrecht.nl")
    make("jan@utrecht.nl.example.com")
    rows = Subject.of("jan@utrecht.nl").rows(ContactRequest.objects.all(), "email")
    assert sorted(rows.values_list("pk", flat=True)) == sorted(c.pk for c in mine)
