"""Request tests for the national page, its exports and the open data pages."""

import json

import pytest
from django.conf import settings

from .helpers import network, province_of_utrecht


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("language", ["nl", "en"])
def test_national_page_in_both_languages(client, version, language):
    network()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/analysis/")
    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    html = page.content.decode()
    assert f'<html lang="{language}">' in html
    heading = {"nl": "Slimme steden in Nederland", "en": "Smart cities in the Netherlands"}[language]
    assert heading in html
    # charts are server-side SVG with a text alternative, and have tables beside them
    assert html.count('role="img"') == 3
    for table in ("statements-table", "overview-table", "themes-table", "distributions-table"):
        assert f'id="{table}"' in html
    assert "<script" not in html


def test_participation_and_overview(english, version):
    network()
    html = english.get("/analysis/").content.decode()
    assert "7 municipalities have at least 5 responses each and count in the national figures." in html
    # Groningen, Stadskanaal and Veendam reach K: the province of Groningen is shown; Flevoland (Almere) is not
    assert "Province of Groningen" in html and "Province of Flevoland" in html


def test_page_without_any_figures_says_so(english, version):
    html = english.get("/analysis/").content.decode()
    assert "There are no national figures yet" in html


@pytest.mark.parametrize("query", ["group=nope", "version=1999.9", "group=" + "x" * 300])
def test_an_unknown_selection_is_a_clear_400(english, version, query):
    page = english.get(f"/analysis/?{query}")
    assert page.status_code == 400
    assert "error-summary" in page.content.decode()
    export = english.get(f"/analysis/export.csv?{query}")
    assert export.status_code == 400
    assert export["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("path", "content_type", "extension"),
    [
        ("/analysis/export.csv", "text/csv; charset=utf-8", "csv"),
        ("/analysis/export.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ],
)
def test_exports_are_attachments_named_after_the_selection(client, version, path, content_type, extension):
    province_of_utrecht()
    response = client.get(f"{path}?group=province-PV26")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="zelfscan-2026-1-province-PV26-latest.{extension}"'
    )


@pytest.mark.parametrize("path", ["/analysis/", "/analysis/export.csv", "/open-data/"])
def test_pages_refuse_posts(client, version, path):
    assert client.post(path).status_code == 405


def test_open_data_page(english, version):
    page = english.get("/open-data/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "CC0-1.0" in html and 'rel="license"' in html
    assert "/open-data/2026.1/aggregates.csv" in html and "/open-data/2026.1/datapackage.json" in html
    assert "appears by name only when its coordinator has agreed" in html
    assert "<code>distribution</code>" in html


def test_open_data_files(client, version):
    province_of_utrecht()
    csv_file = client.get("/open-data/2026.1/aggregates.csv")
    assert (csv_file.status_code, csv_file["Content-Type"]) == (200, "text/csv; charset=utf-8")
    body = client.get("/open-data/2026.1/aggregates.json").json()
    assert body["licence"]["name"] == "CC0-1.0" and body["k"] == 5
    assert "coordinator has agreed" in body["note"] or "coördinator" in body["note"]
    keys = [entry["group"]["key"] for entry in body["groups"]]
    assert keys[0] == "national" and "province-PV26" in keys
    # No municipality appears on its own: every entry is a group
    assert {entry["group"]["kind"] for entry in body["groups"]} <= {
        "national",
        "size",
        "province",
        "urbanisation",
        "g4",
        "g40",
        "region",
    }
    package = json.loads(client.get("/open-data/2026.1/datapackage.json").content)
    assert package["licenses"][0]["name"] == "CC0-1.0"
    fields = package["resources"][0]["schema"]["fields"]
    header = csv_file.content.decode().splitlines()[0].split(",")
    assert [field["name"] for field in fields] == header
    assert all(field["description"] for field in fields)


@pytest.mark.parametrize("path", ["/open-data/1999.1/aggregates.csv", "/open-data/2026.1/other.csv"])
def test_open_data_unknown_files_are_404(client, version, path):
    assert client.get(path).status_code == 404


# SQL statements, pinned (an N+1 shows up here). Steady state: one cache check per group built
# (the national base of the complement rule, national, the selection, 5 size classes and
# 12 provinces), the register's groups (2), versions (2), the period (1), and the cache check of
# the subtraction rule (analysis.subtraction, 1).
NATIONAL_PAGE_STEADY = 26
API_AGGREGATES_STEADY = 6


def test_national_page_query_count(client, version, django_assert_num_queries):
    network()
    assert client.get("/analysis/").status_code == 200  # fills the group cache
    with django_assert_num_queries(NATIONAL_PAGE_STEADY):
        assert client.get("/analysis/").status_code == 200


def test_api_aggregates_query_count(client, version, django_assert_num_queries):
    network()
    assert client.get("/api/v1/groups/national/aggregates/").status_code == 200
    with django_assert_num_queries(API_AGGREGATES_STEADY):
        assert client.get("/api/v1/groups/national/aggregates/").status_code == 200
