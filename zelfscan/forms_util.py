"""Small helpers for reading posted values safely."""


def posted_id(data, name: str) -> int | None:
    """A posted object id as an int, or None when missing or not a plain positive number (a
    tampered form then simply matches nothing instead of failing with a server error)."""
    value = (data.get(name) or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)
