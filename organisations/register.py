"""Load the CBS municipality register and look municipalities up by what people type."""

import csv
import datetime
import secrets
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .matching import Candidate, MatchResult, candidate_names, match
from .models import Municipality, size_class

REGISTER_FILE = Path(__file__).resolve().parent / "data" / "gemeenten.csv"
COLUMNS = [
    "cbs_code",
    "name",
    "common_name",
    "province",
    "province_code",
    "population",
    "population_date",
    "urbanisation_class",
    "urbanisation_label",
    "g4",
    "g40",
]


class RegisterError(Exception):
    pass


def read_register(path: Path = REGISTER_FILE) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise RegisterError(f"{path}: expected columns {', '.join(COLUMNS)}")
        rows = list(reader)
    codes = [row["cbs_code"] for row in rows]
    if len(set(codes)) != len(codes):
        raise RegisterError(f"{path}: a CBS code appears twice")
    return rows


@transaction.atomic
def load_register(path: Path = REGISTER_FILE) -> tuple[int, int]:
    """Create or update every municipality in the file. Returns (created, updated)."""
    created = updated = 0
    for row in read_register(path):
        _, was_created = Municipality.objects.update_or_create(
            cbs_code=row["cbs_code"],
            defaults={
                "name": row["name"],
                "common_name": row["common_name"],
                "province": row["province"],
                "province_code": row["province_code"],
                "population": int(row["population"]),
                "size_class": size_class(int(row["population"])),
                "population_date": datetime.date.fromisoformat(row["population_date"]),
                "urbanisation_class": int(row["urbanisation_class"]),
                "g4": row["g4"] == "1",
                "g40": row["g40"] == "1",
                "active": True,
            },
        )
        created += was_created
        updated += not was_created
    transaction.on_commit(lambda: cache.delete_many([CACHE_KEY, DATALIST_CACHE_KEY]))
    return created, updated


CACHE_KEY = "zelfscan:municipality-candidates"
DATALIST_CACHE_KEY = "zelfscan:municipality-datalist"


_loaded: dict[str, list[Candidate]] = {}


def candidates() -> list[Candidate]:
    """Every active municipality with the names that find it; cached until the register changes.
    The cache holds only a token for the list kept in this process: the local-memory cache pickles
    what it stores, and unpickling 342 candidates cost more than the rest of a registration's lookup."""
    token = cache.get(CACHE_KEY)
    found = _loaded.get(token) if token else None
    if found is None:
        rows = Municipality.objects.filter(active=True).values_list("cbs_code", "name", "common_name")
        found = [Candidate(code, candidate_names(code, name, common)) for code, name, common in rows]
        token = secrets.token_hex(8)
        _loaded.clear()
        _loaded[token] = found
        cache.set(CACHE_KEY, token, 60 * 60)
    return found


def find(text: str) -> MatchResult:
    return match(text, candidates())


def datalist_options() -> list[str]:
    """Every name the picker suggests: common names plus official names and aliases."""
    names: set[str] = set()
    for candidate in candidates():
        names.update(candidate.names)
    return sorted(names, key=lambda n: n.lstrip("'").lower())


def datalist_html() -> str:
    """The picker's <option> elements, rendered once and cached with the candidates."""
    cached = cache.get(DATALIST_CACHE_KEY)
    if cached is None:
        cached = "".join(format_html('<option value="{}"></option>', name) for name in datalist_options())
        cache.set(DATALIST_CACHE_KEY, cached, 60 * 60)
    return mark_safe(cached)  # noqa: S308 - built with format_html above


def read_merges(path: Path) -> dict[str, str]:
    """A CSV with columns old_code,new_code: which municipalities merged into which."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["old_code", "new_code"]:
            raise RegisterError(f"{path}: expected columns old_code, new_code")
        merges = {row["old_code"].strip(): row["new_code"].strip() for row in reader}
    return merges


@transaction.atomic
def apply_register(path: Path, merges: dict[str, str]) -> dict[str, int]:
    """Apply a new CBS register: create and update its municipalities; every municipality that is
    no longer in it must be in the merge map, and is kept (inactive, merged into its successor)
    so that responses and reports from before the merger stay readable."""
    rows = read_register(path)
    new_codes = {row["cbs_code"] for row in rows}
    gone = set(Municipality.objects.filter(active=True).values_list("pk", flat=True)) - new_codes
    unexplained = sorted(gone - set(merges))
    if unexplained:
        raise RegisterError(
            "These municipalities are not in the new register and not in the merge map: " + ", ".join(unexplained)
        )
    bad_targets = sorted({new for new in merges.values() if new not in new_codes})
    if bad_targets:
        raise RegisterError("The merge map points to codes that are not in the new register: " + ", ".join(bad_targets))
    created, updated = load_register(path)
    merged = 0
    for old, new in merges.items():
        if old in new_codes:
            raise RegisterError(f"{old} is in the new register, so it cannot have merged into {new}")
        merged += Municipality.objects.filter(pk=old).update(active=False, merged_into_id=new)
    transaction.on_commit(lambda: cache.delete_many([CACHE_KEY, DATALIST_CACHE_KEY]))
    return {"created": created, "updated": updated, "merged": merged}
