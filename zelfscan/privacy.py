"""Small privacy helpers shared by every app."""


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
