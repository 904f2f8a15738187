"""/api/v1/: the endpoints, the OpenAPI schema, the reference page, and JSON 404s for the rest.
Every URL is wrapped in errors.guard (one error format, size limits, GET only)."""

from django.urls import include, path, re_path

from . import views
from .api import api
from .errors import guard

ninja_patterns, _app_name, namespace = api.urls
for pattern in ninja_patterns:
    pattern.callback = guard(pattern.callback)

api_patterns = [
    path("docs/", guard(views.reference), name="reference"),
    *ninja_patterns,
    re_path(r"^.*$", guard(views.not_found), name="not_found"),
]

urlpatterns = [path("api/v1/", include((api_patterns, "api"), namespace=namespace))]
