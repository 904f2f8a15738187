"""The NinjaAPI instance: version 1 of the public API, its OpenAPI schema and error handlers."""

from ninja import NinjaAPI

from .endpoints import router
from .errors import install_handlers

DESCRIPTION = """The public data of Zelfscan, the Smart City Self-Assessment for Dutch municipalities:
the instrument (every version, every language), the municipality register, and the national and
peer-group aggregates under the privacy rules (K per statement and scale; a group only from
municipalities that reach K, at least 3 of them; distributions from n = 2K, levels with fewer than
3 people merged). Read-only, no authentication. Errors always have the shape
`{"error": {"status", "code", "message", "details"}}`."""

api = NinjaAPI(
    title="Zelfscan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)
install_handlers(api)
api.add_router("", router)
