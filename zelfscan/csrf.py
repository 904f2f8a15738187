"""Let Django's CSRF protection work with `Referrer-Policy: no-referrer`.

The privacy model requires `no-referrer`, so that personal-link tokens never travel in a
Referer header. Under that policy browsers send `Origin: null` (and no Referer) with form
posts, which Django's CsrfViewMiddleware rejects. Fetch metadata answers the question the
Origin header no longer does: `Sec-Fetch-Site` is set by the browser itself (scripts cannot
set it) and is `same-origin` only for a request made by one of our own pages. For exactly
those requests this middleware, placed before CsrfViewMiddleware, restores the Origin the
browser withheld. Django's own middleware then checks origin and CSRF token as always.
"""


class FetchMetadataOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"
            and request.META.get("HTTP_ORIGIN", "null") == "null"
        ):
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)
