"""Reading pasted addresses and CSV files of invitees (pure)."""

from django.utils import translation

from rounds.invitees import MAX_ROWS, parse_csv, parse_pasted


def test_pasted_addresses_in_every_common_shape():
    parsed = parse_pasted(
        "a@utrecht.nl\nB@Utrecht.nl, c@utrecht.nl; Dirk Jansen <d@utrecht.nl>\n\n a@utrecht.nl ", "en"
    )
    assert [i.email for i in parsed.invitees] == ["a@utrecht.nl", "b@utrecht.nl", "c@utrecht.nl", "d@utrecht.nl"]
    assert {i.language for i in parsed.invitees} == {"en"}
    assert parsed.errors == []


def test_pasted_garbage_is_reported_by_position():
    with translation.override("nl"):
        parsed = parse_pasted("a@utrecht.nl\nnot an address\nb@")
    assert [i.email for i in parsed.invitees] == ["a@utrecht.nl"]
    assert [line for line, _message in parsed.errors] == [2, 3]
    assert "geen geldig e-mailadres" in parsed.errors[0][1]


def test_csv_with_dutch_headers_semicolons_and_a_bom():
    data = (
        "\ufeffNaam;E-mail;Afdeling;Rol;Taal\n"
        "Anna de Vries;anna@utrecht.nl;Ruimte;Beleid;nl\n"
        "Bob;bob@utrecht.nl;;management;en\n"
    ).encode()
    parsed = parse_csv(data)
    assert parsed.errors == []
    anna, bob = parsed.invitees
    assert (anna.email, anna.name, anna.department, anna.role, anna.language) == (
        "anna@utrecht.nl",
        "Anna de Vries",
        "Ruimte",
        "policy",
        "nl",
    )
    assert (bob.role, bob.language, bob.department) == ("management", "en", "")


def test_csv_errors_per_row_and_valid_rows_kept():
    data = (
        b"email,name,role,language\n"
        b"ok@utrecht.nl,Ok,,\n"
        b"broken,Broken,,\n"
        b"ok@utrecht.nl,Twice,,\n"
        b"role@utrecht.nl,Role,astronaut,\n"
        b"lang@utrecht.nl,Lang,,fr\n"
    )
    parsed = parse_csv(data, default_language="en")
    assert [i.email for i in parsed.invitees] == ["ok@utrecht.nl"]
    assert parsed.invitees[0].language == "en"
    assert [line for line, _m in parsed.errors] == [3, 4, 5, 6]


def test_csv_without_an_email_column_is_refused_as_a_whole():
    parsed = parse_csv(b"name,department\nAnna,Ruimte\n")
    assert parsed.invitees == [] and parsed.errors[0][0] == 1


def test_csv_in_windows_1252():
    parsed = parse_csv("email;naam\nzoe@utrecht.nl;Zoë\n".encode("cp1252"))
    assert parsed.invitees[0].name == "Zoë"


def test_csv_size_and_row_limits():
    assert parse_csv(b"email\n" + b"x" * (1024 * 1024)).errors[0][0] == 0
    rows = "".join(f"p{i}@utrecht.nl\n" for i in range(MAX_ROWS + 5))
    parsed = parse_csv(("email\n" + rows).encode())
    assert len(parsed.invitees) == MAX_ROWS
    assert len(parsed.errors) == 1


def test_empty_csv():
    assert parse_csv(b"").errors
