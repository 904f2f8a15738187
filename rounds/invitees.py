"""Reading the invitees a coordinator pastes or uploads (pure functions, no database).

CSV: a header row, then one invitee per row. Columns (Dutch or English names, any order, only the
address is required): e-mail, name, department, role, language. Separators "," or ";" (Excel in
Dutch saves with ";"); UTF-8 (with or without BOM) or Windows-1252.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from assessments.choices import Role
from zelfscan.privacy import counting_identity

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
LANGUAGES = {"nl", "en"}

HEADERS = {
    "email": {"email", "e-mail", "e-mailadres", "emailadres", "e-mail address", "email address", "mail", "adres"},
    "name": {"name", "naam"},
    "department": {"department", "afdeling"},
    "role": {"role", "rol", "functie"},
    "language": {"language", "taal"},
}


@dataclass
class Invitee:
    email: str
    name: str = ""
    department: str = ""
    role: str = ""
    language: str = "nl"


@dataclass
class Parsed:
    invitees: list[Invitee] = field(default_factory=list)
    # (line number, message) per row that could not be read; nothing of those rows is used.
    errors: list[tuple[int, str]] = field(default_factory=list)


def _role(value: str) -> str | None:
    """A role from its code or its label in either language; "" when empty; None when unknown."""
    value = value.strip()
    if not value:
        return ""
    lowered = value.lower()
    for choice in Role:
        if lowered in {choice.value, str(choice.label).lower()}:
            return choice.value
    from django.utils import translation

    for language in ("nl", "en"):
        with translation.override(language):
            for choice in Role:
                if lowered == str(choice.label).lower():
                    return choice.value
    return None


def _email(value: str) -> str | None:
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value if len(value) <= 254 else None


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_csv(data: bytes, default_language: str = "nl") -> Parsed:
    result = Parsed()
    if len(data) > MAX_BYTES:
        result.errors.append((0, _("The file is larger than 1 MB. Split it into smaller files.")))
        return result
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error:
        result.errors.append((0, _("The file could not be read as CSV. Save it as CSV (UTF-8) and try again.")))
        return result
    except StopIteration:
        result.errors.append((0, _("The file is empty.")))
        return result
    columns = {}
    for index, title in enumerate(header):
        key = title.strip().lower()
        for name, aliases in HEADERS.items():
            if key in aliases:
                columns.setdefault(name, index)
    if "email" not in columns:
        result.errors.append((1, _('The first row must hold the column names, with a column "e-mail".')))
        return result
    seen = set()
    try:
        _read_rows(reader, columns, seen, result, default_language)
    except csv.Error:
        result.errors.append((0, _("The file could not be read as CSV. Save it as CSV (UTF-8) and try again.")))
    return result


def _read_rows(reader, columns, seen, result, default_language) -> None:
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(result.invitees) + len(result.errors) >= MAX_ROWS:
            result.errors.append((line_number, _("More than 2,000 rows: the rest of the file was not read.")))
            break

        def cell(name, row=row):
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        email = _email(cell("email"))
        if email is None:
            result.errors.append((line_number, _("This is not a valid e-mail address.")))
            continue
        identity = counting_identity(email)
        if identity in seen:
            result.errors.append((line_number, _("This address is in the file twice.")))
            continue
        role = _role(cell("role"))
        if role is None:
            result.errors.append((line_number, _("Unknown role. Use one of the roles in the list below the form.")))
            continue
        language = cell("language").lower() or default_language
        if language not in LANGUAGES:
            result.errors.append((line_number, _('Unknown language. Use "nl" or "en".')))
            continue
        seen.add(identity)
        result.invitees.append(Invitee(email, cell("name")[:120], cell("department")[:120], role, language))


def parse_pasted(text: str, language: str = "nl") -> Parsed:
    """Addresses separated by new lines, commas, semicolons or spaces ("Name <a@b.nl>" works too)."""
    result = Parsed()
    seen = set()
    parts = [part.strip() for part in re.split(r"[\n,;\t]+", text or "") if part.strip()]
    if len(parts) > MAX_ROWS:
        result.errors.append((0, _("More than 2,000 addresses: paste them in parts.")))
        return result
    for number, part in enumerate(parts, start=1):
        bracketed = re.search(r"<([^<>]+)>", part)
        email = _email(bracketed.group(1) if bracketed else part.strip("\"'()"))
        if email is None:
            result.errors.append((number, _("“%(text)s” is not a valid e-mail address.") % {"text": part[:80]}))
            continue
        identity = counting_identity(email)
        if identity not in seen:
            seen.add(identity)
            result.invitees.append(Invitee(email, language=language))
    return result
