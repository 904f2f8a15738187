"""Tests for organisations/register.py: loading the CBS register and finding municipalities.

The test database already holds the register (session fixture in conftest.py).
"""

import csv

import pytest

from organisations.models import Municipality
from organisations.register import (
    COLUMNS,
    REGISTER_FILE,
    RegisterError,
    datalist_options,
    find,
    load_register,
    read_register,
)
from organisations.tests.test_matching import FOUND

MUNICIPALITY_COUNT = 342
G4 = {"GM0344", "GM0363", "GM0518", "GM0599"}  # Utrecht, Amsterdam, Den Haag, Rotterdam


def _rows():
    with REGISTER_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path, rows, columns=COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- read_register (no database) ------------------------------------------------------------


def test_read_register_reads_every_municipality():
    rows = read_register()
    assert len(rows) == MUNICIPALITY_COUNT
    assert len({row["cbs_code"] for row in rows}) == MUNICIPALITY_COUNT
    assert all(row["cbs_code"].startswith("GM") and len(row["cbs_code"]) == 6 for row in rows)


def test_read_register_rejects_wrong_columns(tmp_path):
    columns = [c if c != "common_name" else "commonname" for c in COLUMNS]
    rows = [{**row, "commonname": row["common_name"]} for row in _rows()[:3]]
    path = _write(tmp_path / "wrong.csv", rows, columns)
    with pytest.raises(RegisterError, match="expected columns"):
        read_register(path)


def test_read_register_rejects_a_missing_column(tmp_path):
    path = _write(tmp_path / "missing.csv", _rows()[:3], [c for c in COLUMNS if c != "g40"])
    with pytest.raises(RegisterError, match="expected columns"):
        read_register(path)


def test_read_register_rejects_a_duplicate_code(tmp_path):
    rows = _rows()[:3]
    path = _write(tmp_path / "duplicate.csv", [*rows, {**rows[0], "name": "Copy"}])
    with pytest.raises(RegisterError, match="appears twice"):
        read_register(path)


# --- load_register ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_register_on_a_loaded_database_only_updates():
    assert Municipality.objects.count() == MUNICIPALITY_COUNT  # loaded by the session fixture
    assert load_register() == (0, MUNICIPALITY_COUNT)
    assert Municipality.objects.count() == MUNICIPALITY_COUNT


@pytest.mark.django_db
def test_load_register_creates_342_then_is_idempotent():
    Municipality.objects.all().delete()
    assert load_register() == (MUNICIPALITY_COUNT, 0)
    assert Municipality.objects.count() == MUNICIPALITY_COUNT
    assert load_register() == (0, MUNICIPALITY_COUNT)
    assert Municipality.objects.count() == MUNICIPALITY_COUNT


@pytest.mark.django_db
def test_register_has_g4_and_g40():
    assert set(Municipality.objects.filter(g4=True).values_list("cbs_code", flat=True)) == G4
    assert Municipality.objects.filter(g40=True).count() == 41
    assert not Municipality.objects.filter(g4=True, g40=True).exists()


@pytest.mark.django_db
def test_load_register_stores_the_fields():
    utrecht = Municipality.objects.get(pk="GM0344")
    assert utrecht.name == "Utrecht"
    assert utrecht.province == "Utrecht"
    assert utrecht.province_code == "PV26"
    assert utrecht.population == 374238
    assert str(utrecht.population_date) == "2024-01-01"
    assert utrecht.urbanisation_class == 1
    assert utrecht.active is True
    den_haag = Municipality.objects.get(pk="GM0518")
    assert (den_haag.name, den_haag.common_name) == ("'s-Gravenhage", "Den Haag")


@pytest.mark.django_db
def test_load_register_updates_changed_rows_and_creates_new_ones(tmp_path):
    rows = _rows()
    for row in rows:
        if row["cbs_code"] == "GM0344":
            row["population"] = "400000"
    new = {**rows[0], "cbs_code": "GM9999", "name": "Nieuwstad", "common_name": "Nieuwstad"}
    path = _write(tmp_path / "gemeenten.csv", [*rows, new])
    assert load_register(path) == (1, MUNICIPALITY_COUNT)
    assert Municipality.objects.get(pk="GM0344").population == 400000
    assert Municipality.objects.get(pk="GM9999").common_name == "Nieuwstad"


@pytest.mark.django_db
def test_load_register_reactivates_an_inactive_municipality():
    Municipality.objects.filter(pk="GM0307").update(active=False)
    load_register()
    assert Municipality.objects.get(pk="GM0307").active is True


@pytest.mark.django_db
@pytest.mark.parametrize("problem", ["columns", "duplicate"])
def test_load_register_with_a_bad_file_raises_and_writes_nothing(tmp_path, problem):
    rows = _rows()[:2]
    new = {**rows[0], "cbs_code": "GM9998", "name": "Nergens", "common_name": "Nergens"}
    if problem == "columns":
        path = _write(tmp_path / "bad.csv", [new, *rows], [c for c in COLUMNS if c != "g4"])
    else:
        path = _write(tmp_path / "bad.csv", [new, *rows, rows[1]])
    with pytest.raises(RegisterError):
        load_register(path)
    assert not Municipality.objects.filter(pk="GM9998").exists()
    assert Municipality.objects.count() == MUNICIPALITY_COUNT


# --- find (through the database) --------------------------------------------------------------


@pytest.mark.django_db
# The same spellings the pure matcher is tested with, now through the database and the cache.
@pytest.mark.parametrize(("text", "code"), FOUND)
def test_find_matches_names_aliases_and_codes(text, code):
    result = find(text)
    assert result.code == code
    assert result.ambiguous == []


@pytest.mark.django_db
def test_find_bergen_is_ambiguous():
    result = find("Bergen")
    assert result.code is None
    assert result.ambiguous == ["GM0373", "GM0893"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "Atlantis"])
def test_find_empty_or_unknown_finds_nothing(text):
    result = find(text)
    assert result.code is None
    assert result.ambiguous == []


@pytest.mark.django_db
def test_find_skips_inactive_municipalities():
    Municipality.objects.filter(pk="GM0164").update(active=False)
    assert find("Hengelo").code is None
    assert find("GM0164").code is None


@pytest.mark.django_db
def test_datalist_options_offer_common_official_and_alias_names_once():
    options = datalist_options()
    assert {"Den Haag", "'s-Gravenhage", "The Hague", "Amersfoort", "Bergen (NH.)"} <= set(options)
    assert len(options) == len(set(options))
    # sorted ignoring the leading apostrophe and case: 's-Gravenhage sits among the S names
    assert options.index("'s-Gravenhage") > options.index("Rotterdam")
