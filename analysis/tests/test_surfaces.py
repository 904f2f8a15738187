"""The same selection shows the same numbers on the national page, in the API, in the CSV and XLSX
exports, in the open data and in the export command's files."""

import csv
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.management import call_command
from openpyxl import load_workbook

from analysis.exports import COLUMN_NAMES
from organisations.models import Municipality, Region

from .helpers import network, province_of_utrecht


class RowCells(HTMLParser):
    """The text of each cell of every table row that has an id."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("id"):
            self._row = attrs["id"]
            self.rows[self._row] = []
        elif tag in ("td", "th") and self._row:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row and self._cell is not None:
            self.rows[self._row].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_rows(client, query):
    page = client.get(f"/analysis/?{query}")
    assert page.status_code == 200
    parser = RowCells()
    parser.feed(page.content.decode())
    return parser.rows


def nl_number(value) -> str:
    return str(Decimal(str(value))).replace(".", ",")


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = list(sheet.values)
    assert list(values[0]) == COLUMN_NAMES
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


@pytest.mark.parametrize("group", ["national", "province-PV26", "size-4"])
def test_page_api_csv_xlsx_and_open_data_show_the_same_numbers(client, version, group, tmp_path):
    network()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    query = f"group={group}&version={version.version}"
    api = client.get(f"/api/v1/groups/{group}/aggregates/?version={version.version}").json()
    assert api["shown"] is True
    rows = page_rows(client, query)
    table = csv_rows(client.get(f"/analysis/export.csv?{query}").content.decode())
    sheet = xlsx_rows(client.get(f"/analysis/export.xlsx?{query}").content)
    open_data = client.get(f"/open-data/{version.version}/aggregates.json").json()
    opened = next(entry for entry in open_data["groups"] if entry["group"]["key"] == group)
    assert opened == api
    open_csv = [row for row in csv_rows(client.get(f"/open-data/{version.version}/aggregates.csv").content.decode())]
    assert [row for row in open_csv if row["group"] == group] == table
    call_command("export_aggregates", str(tmp_path / "out.xlsx"), "--group", group)
    assert xlsx_rows((tmp_path / "out.xlsx").read_bytes()) == sheet

    for statement in api["statements"]:
        key = statement["key"]
        cells = rows[f"statement-{key}"]
        for index, scale in ((1, "current"), (2, "desired")):
            figure = statement[scale]
            assert cells[index] == f"{nl_number(figure['mean'])} (n={figure['n']})"
            in_csv = next(r for r in table if r["key"] == key and r["scale"] == scale and r["item"] == "statement")
            in_xlsx = next(r for r in sheet if r["key"] == key and r["scale"] == scale and r["item"] == "statement")
            assert Decimal(in_csv["mean"]) == Decimal(str(figure["mean"])) == Decimal(str(in_xlsx["mean"]))
            assert int(in_csv["n"]) == figure["n"] == in_xlsx["n"]
            assert int(in_csv["municipalities"]) == figure["municipalities"] == in_xlsx["municipalities"]
            for field in ("median", "p25", "p75"):
                assert Decimal(in_csv[field]) == Decimal(str(figure[field])) == Decimal(str(in_xlsx[field]))
            distribution = ";".join(
                f"{b['levels'][0]}:{b['count']}"
                if b["levels"][0] == b["levels"][1]
                else f"{b['levels'][0]}-{b['levels'][1]}:{b['count']}"
                for b in figure["distribution"]
            )
            assert in_csv["distribution"] == distribution == in_xlsx["distribution"]
            spread = rows[f"distribution-{key}-{scale}"]
            assert spread[2] == str(figure["n"])
            assert spread[3] == f"{nl_number(figure['median'])} ({nl_number(figure['p25'])}–{nl_number(figure['p75'])})"
            for b in figure["distribution"]:
                low, high = b["levels"]
                text = f"level {low}: {b['count']}" if low == high else f"levels {low}–{high}: {b['count']}"
                assert re.search(rf"(niveau|level)s? {low}(–{high})?: {b['count']}\b", spread[4]), (text, spread[4])
            assert in_csv["k"] == str(api["k"]) and in_xlsx["k"] == api["k"]
            assert in_csv["instrument_version"] == api["instrument_version"] == in_xlsx["instrument_version"]
            assert in_csv["period"] == api["period"]["key"] == in_xlsx["period"]
        gap = statement["gap"]
        assert cells[3] == nl_number(gap)
        assert Decimal(in_csv["gap"]) == Decimal(str(gap))
    for theme in api["themes"]:
        cells = rows[f"theme-{theme['key']}"]
        for index, scale in ((1, "current"), (2, "desired")):
            assert cells[index].startswith(nl_number(theme[scale]["mean"]) + " (")
            assert cells[index].endswith(f"(n={theme[scale]['n']})")
            in_csv = next(r for r in table if r["key"] == theme["key"] and r["scale"] == scale and r["item"] == "theme")
            assert Decimal(in_csv["mean"]) == Decimal(str(theme[scale]["mean"]))


def test_a_group_below_the_thresholds_gives_its_reason_on_every_surface(client, version):
    province_of_utrecht()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    api = client.get("/api/v1/groups/province-PV20/aggregates/").json()
    assert (api["shown"], api["reason"], api["municipalities"], api["statements"]) == (False, "few_members", None, [])
    page = client.get("/analysis/?group=province-PV20").content.decode()
    assert "not shown: fewer than 3 municipalities in this group have at least 5 responses" in page
    assert 'id="statements-table"' not in page
    (row,) = csv_rows(client.get("/analysis/export.csv?group=province-PV20").content.decode())
    assert (row["item"], row["shown"], row["reason"], row["n"], row["mean"]) == (
        "group",
        "false",
        "few_members",
        "",
        "",
    )
    (row,) = xlsx_rows(client.get("/analysis/export.xlsx?group=province-PV20").content)
    assert (row["item"], row["shown"], row["reason"], row["n"]) == ("group", False, "few_members", None)


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)"])
def test_text_cells_that_a_spreadsheet_would_run_are_escaped(client, version, name):
    province_of_utrecht()
    region = Region.objects.create(name=name, slug="danger")
    region.municipalities.set(Municipality.objects.filter(pk__in=["GM0344", "GM0307", "GM0355"]))
    (first, *_rest) = csv_rows(client.get("/analysis/export.csv?group=region-danger").content.decode())
    assert first["group_name"] == "'" + name
    assert first["mean"] == "2.8"  # numbers are not touched
    workbook = load_workbook(io.BytesIO(client.get("/analysis/export.xlsx?group=region-danger").content))
    cell = workbook.worksheets[0]["F2"]
    assert (cell.value, cell.data_type) == ("'" + name, "s")
    assert not any(c.data_type == "f" for row in workbook.worksheets[0].iter_rows() for c in row)


def test_negative_gaps_stay_numbers(client, version):
    from .helpers import counts, snapshot

    for code in ("GM0344", "GM0307", "GM0355"):
        snapshot(code, counts(4, 5), counts(3, 5))
    rows = csv_rows(client.get("/analysis/export.csv?group=province-PV26").content.decode())
    assert rows[0]["gap"] == "-1.0"
    sheet = xlsx_rows(client.get("/analysis/export.xlsx?group=province-PV26").content)
    assert sheet[0]["gap"] == -1.0
