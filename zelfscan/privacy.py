"""Small privacy helpers shared by every app."""

from django.utils.cache import patch_cache_control


def mask_email(address: str) -> str:
    """j***@g***.nl: enough to spot a typo, not enough to read the address."""
    if not address or "@" not in address:
        return "***"
    local, _sep, domain = address.rpartition("@")
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    masked_host = (host[:1] + "***") if host else "***"
    return f"{local[:1]}***@{masked_host}{'.' + tld if tld else ''}"


def counting_identity(address: str) -> str:
    """The person behind an address, for "one address counts once": lower case, without a
    "+tag" (jan+1@x.nl is jan@x.nl), and without the dots Gmail ignores."""
    address = (address or "").strip().lower()
    local, sep, domain = address.rpartition("@")
    if not sep:
        return address
    local = local.split("+", 1)[0]
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def token_hash(raw: str) -> str:
    """What is stored of a secret token (personal, invitation, data, sign-in and API tokens): its
    SHA-256, never the token itself."""
    import hashlib

    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def never_cached(response):
    """Pages with personal data (answers, a colleague's address, an invitation, the organisation's
    figures) are never stored by a browser or proxy cache (Cache-Control: private, no-store)."""
    patch_cache_control(response, private=True, no_store=True)
    return response
