"""Every table that holds personal data, in one list (privacy-model.md, "Data kept").

Each table is described once, by a `PersonalData` entry with three small functions, and that one
entry gives it retention, download and deletion:

- `expire(cutoff=, now=, dry_run=)`: erase the personal fields of rows whose last activity was
  before `cutoff` (keeping what statistics need); return how many rows were (or, with
  `dry_run`, would be) erased. It must be idempotent: a second run erases nothing new.
- `export(subject)`: every row about the person, as JSON-ready dicts (no token hashes).
- `delete(subject)`: delete every row about the person; return how many.

To cover a new table, write its entry (in `dataprotection/handlers.py`, or next to its model) and
add its dotted path to TABLES below; entries run in this order (responses first, so that a table
that refers to responses sees them erased). `dataprotection/tests/test_registry.py` checks that
every table with an e-mail field is covered.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.module_loading import import_string

from zelfscan.privacy import counting_identity

TABLES = [
    "dataprotection.handlers.RESPONSES",
    "dataprotection.handlers.INVITATIONS",
    "dataprotection.handlers.CONTACT_REQUESTS",
    "dataprotection.handlers.OUTBOX_MESSAGES",
    "dataprotection.handlers.DATA_REQUESTS",
    "dataprotection.handlers.RATE_LIMIT_COUNTERS",
]

# Erased addresses become "erased-<id>@erased.invalid": a reserved top-level domain (RFC 2606)
# that can never receive mail, unique per row, so "one address counts once" never merges them.
ERASED_SUFFIX = "@erased.invalid"


@dataclass(frozen=True)
class Subject:
    """The person behind an e-mail address, as "one address counts once" sees them
    (zelfscan.privacy.counting_identity): jan+1@x.nl and jan@x.nl are one subject."""

    identity: str

    def __post_init__(self):
        if "@" not in self.identity or self.identity.endswith(ERASED_SUFFIX):
            raise ValueError("a subject needs a real e-mail identity")

    @classmethod
    def of(cls, address: str) -> "Subject":
        return cls(counting_identity(address))

    def owns(self, address: str) -> bool:
        return bool(address) and counting_identity(address) == self.identity

    def rows(self, queryset: QuerySet, field: str) -> QuerySet:
        """The rows of `queryset` whose address `field` belongs to this subject. The database
        narrows by domain; the exact rule (tags, case, Gmail dots) is applied here."""
        domain = self.identity.rpartition("@")[2]
        domains = {"gmail.com", "googlemail.com"} if domain == "gmail.com" else {domain}
        narrow = Q()
        for name in domains:
            narrow |= Q(**{f"{field}__iendswith": f"@{name}"})
        candidates = queryset.filter(narrow).values_list("pk", field)
        return queryset.filter(pk__in=[pk for pk, address in candidates if self.owns(address)])


@dataclass(frozen=True)
class PersonalData:
    name: str  # the key in the download file and in the retention log
    expire: Callable[..., int]
    export: Callable[[Subject], list[dict]]
    delete: Callable[[Subject], int]


def personal_data_tables() -> list[PersonalData]:
    return [import_string(path) for path in TABLES]


def chunks(ids: list, size: int = 500):
    """Slices of `ids` small enough for any database's limit on query parameters."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
