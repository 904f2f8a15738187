"""Malformed API calls get a JSON error in one format (400/404/405), never a 500 or an HTML page."""

import pytest

from api.errors import MAX_BODY, MAX_QUERY_STRING


def error_of(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nope/", "/api/v1/groups", "/api/v1/municipalities/GM0344/aggregates/", "/api/v1/instrument/"],
)
def test_unknown_paths(client, version, path):
    assert error_of(client.get(path), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/municipalities/GM34/", "code"),
        ("/api/v1/municipalities/?active=maybe", "active"),
        ("/api/v1/municipalities/?province=Utrecht", "province"),
        ("/api/v1/groups/national/aggregates/?version=%00", "version"),
        ("/api/v1/groups/na%20tional/aggregates/", "group"),
    ],
)
def test_invalid_parameters_are_400_with_details(client, version, path, name):
    error = error_of(client.get(path), 400)
    assert error["code"] == "invalid_request"
    assert [detail["name"] for detail in error["details"]] == [name]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_are_405(client, version, method):
    response = getattr(client, method)("/api/v1/groups/")
    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD"


def test_405_also_on_unknown_paths_and_the_schema(client, version):
    assert error_of(client.post("/api/v1/nope/"), 405)["code"] == "method_not_allowed"
    assert error_of(client.delete("/api/v1/openapi.json"), 405)["code"] == "method_not_allowed"


def test_head_answers_like_get_without_a_body(client, version):
    response = client.head("/api/v1/groups/")
    assert response.status_code == 200 and response.content == b""


def test_huge_query_strings_are_refused(client, version):
    response = client.get("/api/v1/groups/?x=" + "a" * MAX_QUERY_STRING)
    assert error_of(response, 400)["code"] == "query_too_long"


def test_too_many_query_parameters_are_refused(client, version):
    response = client.get("/api/v1/groups/national/aggregates/?" + "&".join(["a"] * 401))
    assert error_of(response, 400)["code"] == "invalid_request"


def test_huge_payloads_are_refused(client, version):
    response = client.generic("GET", "/api/v1/groups/", data=b"x" * (MAX_BODY + 1), content_type="text/plain")
    assert error_of(response, 400)["code"] == "payload_too_large"
    response = client.get("/api/v1/groups/", CONTENT_LENGTH="lots")
    assert error_of(response, 400)["code"] == "payload_too_large"
