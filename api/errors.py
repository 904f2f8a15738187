"""One error format for every API answer that is not a success:

    {"error": {"status": 404, "code": "not_found", "message": "...", "details": [...]}}

Ninja's own errors go through the handlers below; everything else that can go wrong before or
around an endpoint (an unknown path, a method other than GET, a huge query string or body, a
query Django refuses to parse) is turned into the same shape by `guard`, which wraps every API URL.
Messages are English (for developers); `code` is the stable part to program against.
"""

import functools

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse

MAX_QUERY_STRING = 1024  # characters; the API's parameters need a few dozen
MAX_BODY = 16 * 1024  # bytes; the API takes no body at all
ALLOWED_METHODS = ("GET", "HEAD")

CODES = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed"}
MESSAGES = {
    400: "The request is not valid.",
    404: "Nothing here: check the path (it ends with a slash) and the codes in it.",
    405: "This API only answers GET requests.",
}


def error_response(status: int, code: str | None = None, message: str | None = None, details=None) -> JsonResponse:
    body = {
        "error": {
            "status": status,
            "code": code or CODES.get(status, "error"),
            "message": message or MESSAGES.get(status, "The request failed."),
            "details": details or [],
        }
    }
    response = JsonResponse(body, status=status)
    if status == 405:
        response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MAX_BODY + 1


def guard(view):
    """Refuse what the API never needs before the view runs, and give every error the one format."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return error_response(
                400, "query_too_long", f"The query string is longer than {MAX_QUERY_STRING} characters."
            )
        if _content_length(request) > MAX_BODY:
            return error_response(400, "payload_too_large", f"The request body is larger than {MAX_BODY} bytes.")
        if request.method not in ALLOWED_METHODS:
            return error_response(405)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        except SuspiciousOperation as exc:  # e.g. too many query parameters
            return error_response(400, "invalid_request", str(exc) or MESSAGES[400])
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            response = error_response(response.status_code)
        response["Access-Control-Allow-Origin"] = "*"  # public data, no credentials
        if head:
            response.content = b""
        return response

    return wrapper


def install_handlers(api) -> None:
    """Ninja's errors in the API's format: invalid parameters are 400 (not 422), with details."""
    from django.http import Http404
    from ninja.errors import HttpError, ValidationError

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        details = [
            {"in": str(error["loc"][0]), "name": str(error["loc"][-1]), "message": error.get("msg", "")}
            for error in exc.errors
        ]
        return error_response(400, "invalid_request", "One or more parameters are not valid.", details)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        message = str(exc) if exc.args else None
        return error_response(404, "not_found", message)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return error_response(exc.status_code, None, str(exc))
