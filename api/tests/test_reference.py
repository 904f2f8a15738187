"""The API reference page: server-rendered from the schema, no JavaScript, every endpoint listed."""

import pytest
from django.conf import settings

from api.api import api


@pytest.mark.parametrize("language", ["nl", "en"])
def test_reference_lists_every_endpoint_and_its_parameters(client, version, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    html = page.content.decode()
    assert f'<html lang="{language}">' in html
    assert "<script" not in html
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert f"<code>{method.upper()} {path}</code>" in html
            for parameter in operation.get("parameters", []):
                assert f"<code>{parameter['name']}</code>" in html
    for name in schema["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert 'href="/api/v1/openapi.json"' in html
    assert "curl &#x27;http://testserver/api/v1/groups/national/aggregates/?version=2026.1&#x27;" in html
