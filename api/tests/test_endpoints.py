"""Request tests for every API endpoint: status, content type and content."""

import pytest

from analysis.tests.helpers import province_of_utrecht
from organisations.models import Municipality, Region

JSON = "application/json; charset=utf-8"


def get(client, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def test_index_links_everything(client, version):
    response = get(client, "/api/v1/")
    assert response.status_code == 200
    rels = {link["rel"]: link["href"] for link in response.json()["links"]}
    assert rels["openapi"] == "/api/v1/openapi.json"
    for href in rels.values():
        assert client.get(href).status_code == 200


def test_openapi_schema_describes_every_endpoint(client, version):
    schema = get(client, "/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/",
        "/api/v1/instrument/versions/",
        "/api/v1/instrument/versions/{version}/",
        "/api/v1/municipalities/",
        "/api/v1/municipalities/{code}/",
        "/api/v1/groups/",
        "/api/v1/groups/{group}/aggregates/",
    }
    assert "400" in schema["paths"]["/api/v1/groups/{group}/aggregates/"]["get"]["responses"]


def test_instrument_versions(client, version):
    (entry,) = get(client, "/api/v1/instrument/versions/").json()
    assert entry == {
        "version": "2026.1",
        "title": {"nl": "Smart City Zelfscan", "en": "Smart City Self-Assessment"},
        "languages": ["nl", "en"],
        "current": True,
        "predecessor": None,
        "published_at": version.published_at.isoformat(),
    }


def test_one_instrument_version_with_every_text_in_both_languages(client, version):
    body = get(client, "/api/v1/instrument/versions/2026.1/").json()
    assert [theme["key"] for theme in body["themes"]] == ["A", "B", "C", "D", "E", "F"]
    statements = [s for theme in body["themes"] for s in theme["statements"]]
    assert len(statements) == 21
    first = statements[0]
    assert first["key"] == "A1" and first["topic"] == {"nl": "Gedeelde visie", "en": "Shared vision"}
    assert [level["level"] for level in first["levels"]] == [1, 2, 3, 4, 5]
    assert first["levels"][0]["text"]["en"].startswith("Some staff members or administrators have ideas")
    assert all(set(level["text"]) == {"nl", "en"} for s in statements for level in s["levels"])
    assert body["preconditions"]["governance"]["nl"].startswith("Nieuwe governance")


def test_register_with_merged_municipalities_and_their_successor(client, version):
    # A fictional merger: Baarn (GM0308) merged into Amersfoort (GM0307), which is in a region
    Municipality.objects.filter(pk="GM0308").update(active=False, merged_into_id="GM0307")
    Region.objects.create(name="Regio Amersfoort", slug="amersfoort").municipalities.add("GM0307")
    everyone = get(client, "/api/v1/municipalities/").json()
    assert len(everyone) == Municipality.objects.count()
    baarn = get(client, "/api/v1/municipalities/GM0308/").json()
    assert (baarn["active"], baarn["merged_into"], baarn["successor"]) == (False, "GM0307", "GM0307")
    amersfoort = next(m for m in everyone if m["code"] == "GM0307")
    assert amersfoort["regions"] == ["region-amersfoort"]
    assert (amersfoort["province"], amersfoort["province_code"], amersfoort["size_class"]) == ("Utrecht", "PV26", 4)
    assert amersfoort["g40"] is True and amersfoort["successor"] == "GM0307"
    merged = get(client, "/api/v1/municipalities/?active=false").json()
    assert [m["code"] for m in merged] == ["GM0308"]
    utrecht_province = get(client, "/api/v1/municipalities/?province=PV26").json()
    assert {m["province_code"] for m in utrecht_province} == {"PV26"}


def test_groups(client, version):
    groups = get(client, "/api/v1/groups/").json()
    keys = [group["key"] for group in groups]
    assert keys[0] == "national" and "province-PV26" in keys and "size-1" in keys and "g4" in keys
    g4 = next(group for group in groups if group["key"] == "g4")
    assert g4 == {
        "key": "g4",
        "kind": "g4",
        "label": {"nl": "De G4 (de vier grootste steden)", "en": "The G4 (four largest cities)"},
        "municipalities_in_register": 4,
    }


def test_group_aggregates(client, version):
    province_of_utrecht()
    body = get(client, "/api/v1/groups/province-PV26/aggregates/?version=2026.1").json()
    assert (body["k"], body["shown"], body["municipalities"], body["includes_demo_data"]) == (5, True, 3, False)
    assert body["period"]["key"] == "latest" and body["period"]["round"] is None and body["period"]["as_of"]
    first = body["statements"][0]
    assert first["current"] == {
        "shown": True,
        "reason": None,
        "n": 21,
        "municipalities": 3,
        "mean": 2.8,
        "median": 3.0,
        "p25": 2.0,
        "p75": 3.0,
        "distribution": [
            {"levels": [1, 2], "count": 7},
            {"levels": [3, 3], "count": 11},
            {"levels": [4, 5], "count": 3},
        ],
    }
    assert first["gap"] == 1.5
    assert body["themes"][0]["desired"] == {"shown": True, "reason": None, "n": 21, "mean": 4.3, "stage": "smart"}
    # the current version is the default
    assert get(client, "/api/v1/groups/province-PV26/aggregates/").json() == body


def test_group_below_the_thresholds(client, version):
    province_of_utrecht()
    body = get(client, "/api/v1/groups/national/aggregates/").json()
    assert body["shown"] is True  # the three Utrecht municipalities are enough nationally
    body = get(client, "/api/v1/groups/g4/aggregates/").json()  # only Utrecht
    assert (body["shown"], body["reason"], body["municipalities"]) == (False, "few_members", None)
    assert body["statements"] == [] and body["themes"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/instrument/versions/1999.1/",
        "/api/v1/municipalities/GM9999/",
        "/api/v1/groups/province-PV99/aggregates/",
        "/api/v1/groups/national/aggregates/?version=1999.1",
    ],
)
def test_unknown_things_are_404(client, version, path):
    response = get(client, path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_responses_are_public_and_language_independent(client, version):
    client.cookies["django_language"] = "en"
    english = get(client, "/api/v1/groups/").json()
    client.cookies["django_language"] = "nl"
    dutch = get(client, "/api/v1/groups/")
    assert dutch.json() == english
    assert dutch["Access-Control-Allow-Origin"] == "*"
