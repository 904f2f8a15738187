"""zelfscan.middleware.CSPMiddleware sets the headers django-csp's middleware sets."""

import csp.middleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from zelfscan.middleware import CSPMiddleware

HEADER, REPORT_ONLY = "Content-Security-Policy", "Content-Security-Policy-Report-Only"


def headers(middleware_class, response=None, path="/", use_nonce=False):
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda request: response or HttpResponse("page"))
    middleware.process_request(request)
    if use_nonce:
        str(request.csp_nonce)
    result = middleware.process_response(request, response or HttpResponse("page"))
    # django-csp builds the directives from a set: compare them, not their order.
    return {name: sorted(result[name].split("; ")) for name in (HEADER, REPORT_ONLY) if name in result}


def test_same_headers_as_django_csp():
    assert headers(CSPMiddleware) == headers(csp.middleware.CSPMiddleware)
    assert "default-src 'self'" in headers(CSPMiddleware)[HEADER]


def test_report_only_policy_and_setting_changes():
    directives = {"DIRECTIVES": {"default-src": ["'none'"]}, "EXCLUDE_URL_PREFIXES": ["/admin/"]}
    middleware = CSPMiddleware(lambda request: HttpResponse())
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=directives):
        found = headers(CSPMiddleware)
        assert found == headers(csp.middleware.CSPMiddleware)
        assert found[REPORT_ONLY] == ["default-src 'none'"]
        assert REPORT_ONLY not in headers(CSPMiddleware, path="/admin/x/")
        request = RequestFactory().get("/")
        middleware.process_request(request)
        assert REPORT_ONLY in middleware.process_response(request, HttpResponse())
    request = RequestFactory().get("/")
    middleware.process_request(request)
    assert REPORT_ONLY not in middleware.process_response(request, HttpResponse())  # built again


def test_per_view_policies_exemptions_and_nonces_as_django_csp():
    updated = HttpResponse()
    updated._csp_update = {"img-src": ["https://example.org"]}
    assert "img-src 'self' data: https://example.org" in headers(CSPMiddleware, updated)[HEADER]
    exempt = HttpResponse()
    exempt._csp_exempt = True
    assert headers(CSPMiddleware, exempt) == {}
    set_already = HttpResponse()
    set_already[HEADER] = "default-src 'none'"
    assert headers(CSPMiddleware, set_already)[HEADER] == ["default-src 'none'"]
    assert headers(CSPMiddleware, use_nonce=True) == headers(csp.middleware.CSPMiddleware, use_nonce=True)
