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
