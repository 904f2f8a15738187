"""Register maintenance: a new CBS register with a map of merged municipalities."""

import csv

import pytest
from django.core.management import CommandError, call_command

from conftest import counted_response
from organisations.models import Municipality
from organisations.register import COLUMNS, REGISTER_FILE, read_register
from reports.aggregates import comparison_for


def write_register(path, drop=(), add=()):
    rows = [row for row in read_register(REGISTER_FILE) if row["cbs_code"] not in drop]
    rows += list(add)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_merges(path, pairs):
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("old_code,new_code\n")
        for old, new in pairs:
            handle.write(f"{old},{new}\n")
    return path


NEW = {
    "cbs_code": "GM9999",
    "name": "Heuvelrug-Zeist",
    "common_name": "Heuvelrug-Zeist",
    "province": "Utrecht",
    "province_code": "PV26",
    "population": "115000",
    "population_date": "2027-01-01",
    "urbanisation_class": "3",
    "urbanisation_label": "matig stedelijk",
    "g4": "0",
    "g40": "0",
}


def test_merged_municipalities_stay_readable_and_count_for_their_successor(tmp_path, version):
    zeist = Municipality.objects.get(pk="GM0355")
    for i in range(5):
        counted_response(version, zeist, f"z{i}@zeist.nl", current=2)
    register = write_register(tmp_path / "new.csv", drop=["GM0355", "GM0339"], add=[NEW])
    merges = write_merges(tmp_path / "merges.csv", [("GM0355", "GM9999"), ("GM0339", "GM9999")])
    call_command("apply_register", str(register), "--merges", str(merges))
    zeist.refresh_from_db()
    assert (zeist.active, zeist.merged_into_id) == (False, "GM9999")
    successor = Municipality.objects.get(pk="GM9999")
    assert successor.size_class == 4
    assert zeist.successor() == successor
    assert sorted(successor.lineage_codes()) == ["GM0339", "GM0355", "GM9999"]
    # The old responses keep their municipality, and now count for the merged one.
    comparison = comparison_for(zeist)
    assert comparison.municipality == successor
    assert comparison.n_responses == 5


def test_a_vanished_municipality_must_be_in_the_merge_map(tmp_path, version):
    register = write_register(tmp_path / "new.csv", drop=["GM0355"])
    with pytest.raises(CommandError, match="GM0355"):
        call_command("apply_register", str(register))
    assert Municipality.objects.get(pk="GM0355").active is True


def test_the_merge_map_must_point_into_the_new_register(tmp_path, version):
    register = write_register(tmp_path / "new.csv", drop=["GM0355"])
    merges = write_merges(tmp_path / "merges.csv", [("GM0355", "GM8888")])
    with pytest.raises(CommandError, match="GM8888"):
        call_command("apply_register", str(register), "--merges", str(merges))


def test_the_picker_no_longer_offers_a_merged_municipality(tmp_path, version):
    from organisations.register import find

    register = write_register(tmp_path / "new.csv", drop=["GM0355"], add=[NEW])
    merges = write_merges(tmp_path / "merges.csv", [("GM0355", "GM9999")])
    call_command("apply_register", str(register), "--merges", str(merges))
    assert find("Zeist").code is None
    assert find("Heuvelrug-Zeist").code == "GM9999"


def test_groups_do_not_count_a_merged_municipality_twice(tmp_path, version):
    from reports.groups import national_comparison

    zeist = Municipality.objects.get(pk="GM0355")
    for i in range(5):
        counted_response(version, zeist, f"z{i}@zeist.nl", current=2)
    comparison_for(zeist)  # Zeist's own snapshot, taken before the merger
    register = write_register(tmp_path / "new.csv", drop=["GM0355"], add=[NEW])
    call_command(
        "apply_register", str(register), "--merges", str(write_merges(tmp_path / "m.csv", [("GM0355", "GM9999")]))
    )
    comparison_for(Municipality.objects.get(pk="GM9999"))  # the successor's snapshot holds the same 5
    lineage = version.statements.first().lineage
    counts, members = national_comparison().data[lineage]["current"]
    assert (sum(counts), members) == (5, 1)
