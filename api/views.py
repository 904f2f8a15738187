"""The API's reference page, rendered on the server from the OpenAPI schema (no JavaScript),
and the JSON 404 for paths under /api/v1/ that do not exist."""

import json

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .errors import error_response


def not_found(request, *args, **kwargs):
    return error_response(404)


def _schema_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _endpoints(schema: dict) -> list[dict]:
    endpoints = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = []
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {}).get("schema", {})
                ref = content.get("$ref") or content.get("items", {}).get("$ref", "")
                responses.append(
                    {"status": status, "schema": _schema_name(ref), "list": content.get("type") == "array"}
                )
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation.get("operationId", ""),
                    "summary": operation.get("summary", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description") or p.get("schema", {}).get("description", ""),
                            "pattern": p.get("schema", {}).get("pattern", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "responses": responses,
                }
            )
    return endpoints


def _schemas(schema: dict) -> list[dict]:
    result = []
    for name, definition in schema.get("components", {}).get("schemas", {}).items():
        fields = []
        for field, spec in definition.get("properties", {}).items():
            fields.append({"name": field, "description": spec.get("description", "")})
        result.append({"name": name, "fields": fields})
    return result


EXAMPLE = """{
  "instrument_version": "2026.1",
  "period": {"key": "latest", "round": null,
             "as_of": "2026-05-01T09:00:00+00:00"},
  "k": 5,
  "includes_demo_data": false,
  "group": {"key": "size-3", "kind": "size",
            "label": {"nl": "...", "en": "..."},
            "municipalities_in_register": 63},
  "shown": true, "reason": null, "municipalities": 4,
  "statements": [
    {"key": "A1", "position": 1, "theme": "A",
     "topic": {"nl": "Gedeelde visie", "en": "Shared vision"},
     "current": {"shown": true, "reason": null, "n": 23,
                 "municipalities": 4, "mean": 2.4,
                 "median": 2.0, "p25": 2.0, "p75": 3.0,
                 "distribution": [{"levels": [1, 1], "count": 4},
                                  {"levels": [2, 2], "count": 9},
                                  {"levels": [3, 3], "count": 7},
                                  {"levels": [4, 5], "count": 3}]},
     "desired": {"...": "..."},
     "gap": 1.3}
  ],
  "themes": ["..."]
}"""


@require_safe
def reference(request):
    from .api import api

    schema = api.get_openapi_schema()
    base = request.build_absolute_uri(reverse("api:index"))
    return render(
        request,
        "api/reference.html",
        {
            "schema": schema,
            "endpoints": _endpoints(schema),
            "schemas": _schemas(schema),
            "openapi_url": reverse("api:openapi-json"),
            "example_call": f"curl '{base}groups/national/aggregates/?version=2026.1'",
            "error_example": json.dumps(
                {"error": {"status": 404, "code": "not_found", "message": "…", "details": []}},
                indent=2,
                ensure_ascii=False,
            ),
            "example": EXAMPLE,
        },
    )
