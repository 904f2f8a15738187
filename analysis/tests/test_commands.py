"""The export commands write the page's figures to files, for scheduled jobs."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from audit.models import AuditEvent

from .helpers import province_of_utrecht


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_csv_of_every_group_by_default(version, tmp_path):
    province_of_utrecht()
    target = tmp_path / "all.csv"
    assert "Wrote" in run("export_aggregates", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    groups = {row["group"] for row in rows}
    assert {"national", "province-PV26", "size-1", "g4", "g40"} <= groups
    pv26 = [row for row in rows if row["group"] == "province-PV26"]
    assert (pv26[0]["key"], pv26[0]["scale"], pv26[0]["mean"], pv26[0]["n"], pv26[0]["k"]) == (
        "A1",
        "current",
        "2.8",
        "21",
        "5",
    )
    event = AuditEvent.objects.get(action="export.aggregates")
    assert event.detail["format"] == "csv" and event.detail["version"] == "2026.1"


def test_json_to_standard_output_and_xlsx(version, tmp_path):
    province_of_utrecht()
    body = json.loads(run("export_aggregates", "-", "--format", "json", "--group", "province-PV26"))
    assert [entry["group"]["key"] for entry in body["groups"]] == ["province-PV26"]
    assert body["groups"][0]["statements"][0]["current"]["mean"] == 2.8
    target = tmp_path / "pv26.xlsx"
    run("export_aggregates", str(target), "--group", "province-PV26", "--language", "en")
    sheet = load_workbook(target).worksheets[0]
    assert sheet["F2"].value == "Province of Utrecht"
    assert sheet["J2"].value == "Shared vision"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["out.txt"], "Give --format"),
        (["-", "--format", "xlsx"], "XLSX cannot go to standard output"),
        (["out.csv", "--group", "nope"], "No group 'nope'"),
        (["out.csv", "--instrument-version", "1999.1"], "No instrument version '1999.1'"),
    ],
)
def test_bad_arguments_are_clear_errors(version, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("export_aggregates", *args)


def test_publish_open_data(version, tmp_path):
    province_of_utrecht()
    run("publish_open_data", str(tmp_path))
    folder = tmp_path / "2026.1" / "latest"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC0-1.0"
    assert package["resources"][0]["path"] == "aggregates.csv"
    header = (folder / "aggregates.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [field["name"] for field in package["resources"][0]["schema"]["fields"]]
    data = json.loads((folder / "aggregates.json").read_text(encoding="utf-8"))
    assert data["instrument_version"] == "2026.1" and data["period"]["key"] == "latest"
    assert AuditEvent.objects.filter(action="export.open_data").count() == 1
