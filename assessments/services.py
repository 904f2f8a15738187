"""The respondent's write layer: every change to a response goes through these functions.

Views validate input; these functions change state atomically and queue e-mail.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from instrument.models import InstrumentVersion, Structure
from mailing.outbox import queue_mail
from organisations.models import Municipality
from rounds.models import Invitation
from rounds.services import continuous_round, may_count, round_for_new_response
from zelfscan import rows
from zelfscan.privacy import counting_identity

from .models import AccessToken, Answer, Response, answers_of
from .signals import counted_responses_changed

SESSION_KEY = "zelfscan_responses"
REGISTRATION_KEY = "zelfscan_registered"


def normalise_email(address: str) -> str:
    return (address or "").strip().lower()


# Every registration and submission issues a link: the INSERT is built once (zelfscan.rows).
_insert_token = rows.Insert(AccessToken, ("response", "kind", "token_hash", "created_at"))
_insert_response = rows.Insert(Response, returning=True)


def issue_token(response: Response, kind: str = AccessToken.Kind.PERSONAL) -> str:
    """A new random token for the response; only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    _insert_token([AccessToken(response=response, kind=kind, token_hash=AccessToken.hash(raw))])
    return raw


def personal_link(raw_token: str) -> str:
    return f"{settings.SITE_URL}{reverse('assessments:link')}?t={raw_token}"


def share_link(raw_token: str) -> str:
    return f"{settings.SITE_URL}{reverse('reports:shared')}?t={raw_token}"


def _send_personal_link(response: Response, template: str, kind: str) -> None:
    raw = issue_token(response)
    queue_mail(
        response.email,
        template,
        {"response": response, "link": personal_link(raw), "validity_days": settings.ZELFSCAN_LINK_VALIDITY_DAYS},
        response.language,
        kind=kind,
    )


@transaction.atomic
def register(
    *,
    email: str,
    name: str,
    municipality: Municipality,
    domain: str,
    role: str,
    language: str,
    version: InstrumentVersion | None = None,
) -> Response:
    """Start a response in the municipality's open round and e-mail its personal link. A known
    address gets a new response too, so that registering never reveals whether an address is known.
    The round decides the instrument version when it names one."""
    round_ = round_for_new_response(municipality)
    response = Response(
        instrument_version=round_.instrument_version or version or InstrumentVersion.objects.current(),
        municipality=municipality,
        round=round_,
        email=normalise_email(email),
        name=name.strip(),
        domain=domain,
        role=role,
        language=language,
    )
    # What Response.save() adds, for the INSERT built once (zelfscan.rows).
    response.identity = counting_identity(response.email)
    _insert_response([response])
    _send_personal_link(response, "assessments/email/confirm", kind="confirm")
    return response


@transaction.atomic
def correct_email(response: Response, email: str) -> None:
    """Fix a typo in the address right after registering: the old links stop working."""
    response.tokens.filter(kind=AccessToken.Kind.PERSONAL, revoked_at__isnull=True).update(revoked_at=timezone.now())
    response.email = normalise_email(email)
    response.save(update_fields=["email", "updated_at"])
    _send_personal_link(response, "assessments/email/confirm", kind="confirm")


@dataclass
class TokenCheck:
    token: AccessToken | None
    state: str  # "valid", "expired" or "unknown"


def check_token(raw: str, kind: str) -> TokenCheck:
    if not raw or len(raw) > 100:
        return TokenCheck(None, "unknown")
    token = AccessToken.objects.select_related("response").filter(token_hash=AccessToken.hash(raw), kind=kind).first()
    if token is None or token.revoked_at is not None:
        return TokenCheck(None, "unknown")
    if not token.is_valid():
        return TokenCheck(token, "expired")
    return TokenCheck(token, "valid")


def touch_token(token: AccessToken) -> None:
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


@transaction.atomic
def exchange_personal_token(token: AccessToken) -> Response:
    """The respondent pressed the button behind an e-mailed link: the address is confirmed."""
    touch_token(token)
    response = Response.objects.select_for_update().get(pk=token.response_id)
    if response.email_confirmed_at is None:
        response.email_confirmed_at = timezone.now()
        response.save(update_fields=["email_confirmed_at"])
        # An invited colleague who registered themselves instead of using the invitation: linked
        # only now that the address owner confirmed it (never for whoever merely typed it).
        Invitation.objects.filter(round_id=response.round_id, identity=response.identity, response__isnull=True).update(
            response=response
        )
        refresh_counting(response)
    return response


def grant_session(session, response: Response) -> None:
    """Full access: the session opened a personal link e-mailed to the response's address."""
    allowed = list(session.get(SESSION_KEY, []))
    public_id = str(response.public_id)
    if public_id not in allowed:
        allowed.append(public_id)
    session[SESSION_KEY] = allowed[-20:]


def grant_registration_session(session, response: Response) -> None:
    """Access for the browser that registered, so it can start at once. It lasts only until the
    address is confirmed: whoever typed someone else's address loses access the moment the owner
    opens the link, and never sees what the owner enters."""
    session[REGISTRATION_KEY] = str(response.public_id)


def session_allows(session, response: Response) -> bool:
    public_id = str(response.public_id)
    if public_id in session.get(SESSION_KEY, []):
        return True
    return session.get(REGISTRATION_KEY) == public_id and response.email_confirmed_at is None


# A page save runs on every theme page, so it is one statement built once per process (and per
# number of statements on the page): an upsert that leaves a scale posted empty as it was saved
# (zelfscan.rows explains why the hot SQL is not built by the ORM on every request).
_touch_response = rows.Update(Response, ("updated_at",))
_PAGE_COLUMNS = ("statement", "current", "desired", "note")


class _PageSave:
    """INSERT ... ON CONFLICT DO UPDATE of a page's answers, in one statement.

    Each posted row is (statement id, current, desired, note), None where the respondent changed
    nothing: a level posted as None keeps the saved level; a note posted as None keeps the saved
    note, "" clears it. A row is inserted only when it carries something (a level or a note), and
    an existing row is updated (and its updated_at set) only when a value really changes, so the
    rows it returns are the rows written. Concurrent saves of one statement are safe without a
    read first: the database serialises them on the unique (response, statement) key, and each
    keeps what the other saved for the scales it left empty.

    Nothing is written into a response that has been submitted meanwhile (on another device): on
    PostgreSQL the statement locks the response row while it is not submitted, so a save that
    waited for a submit finds it submitted; SQLite's writers take turns anyway. The response's
    updated_at is set in the same statement on PostgreSQL (a data-modifying WITH), so a page save
    is one round trip and needs no transaction of its own; SQLite has no such WITH, so there it is
    a second statement in the same transaction. Returns (rows written, whether the response was
    still open)."""

    def __init__(self):
        self._statements: dict = {}

    def _build(self, count: int) -> str:
        quote = connection.ops.quote_name
        meta = Answer._meta
        column = {name: quote(meta.get_field(name).column) for name in ("response", "updated_at", *_PAGE_COLUMNS)}
        if connection.vendor == "postgresql":
            # A NULL in VALUES would otherwise be typed as text.
            casts = [f"CAST(%s AS {meta.get_field(name).cast_db_type(connection)})" for name in _PAGE_COLUMNS]
        else:
            casts = ["%s"] * len(_PAGE_COLUMNS)
        values = ", ".join([f"({', '.join(casts)})"] * count)
        table = quote(meta.db_table)
        response_table = quote(Response._meta.db_table)
        response_pk = quote(Response._meta.pk.column)
        postgresql = connection.vendor == "postgresql"
        statement, current, desired, note = (column[name] for name in _PAGE_COLUMNS)
        posted_note = f"(SELECT q.note FROM posted q WHERE q.statement_id = excluded.{statement})"  # noqa: S608
        new = {
            current: f"COALESCE(excluded.{current}, a.{current})",
            desired: f"COALESCE(excluded.{desired}, a.{desired})",
            note: f"COALESCE({posted_note}, a.{note})",
        }
        # The response, while not submitted: locked on PostgreSQL (the lock waits for a submit in
        # progress, and then the row is read again), read on SQLite.
        open_response = _open_response_sql() + (" FOR NO KEY UPDATE" if postgresql else "")
        # SQLite before 3.39 has no IS DISTINCT FROM; its IS NOT compares row values the same way.
        distinct = "IS DISTINCT FROM" if postgresql else "IS NOT"
        # Names from the model's metadata, quoted; every value is a parameter.
        upsert = (
            f"INSERT INTO {table} AS a ({column['response']}, {statement}, {current}, {desired}, {note}, "  # noqa: S608
            f"{column['updated_at']}) "
            f"SELECT o.{response_pk}, p.statement_id, p.current, p.desired, COALESCE(p.note, ''), %s "
            f"FROM posted p CROSS JOIN open_response o "
            f"WHERE (p.current IS NOT NULL OR p.desired IS NOT NULL OR p.note <> '' OR EXISTS ("
            f"SELECT 1 FROM {table} e WHERE e.{column['response']} = o.{response_pk} "
            f"AND e.{statement} = p.statement_id)) "
            f"ON CONFLICT ({column['response']}, {statement}) DO UPDATE SET "
            + ", ".join(f"{name} = {expression}" for name, expression in new.items())
            + f", {column['updated_at']} = excluded.{column['updated_at']} "
            f"WHERE ({', '.join(f'a.{name}' for name in new)}) {distinct} ({', '.join(new.values())}) "
        )
        posted = (
            f"WITH posted (statement_id, current, desired, note) AS (VALUES {values}), "
            f"open_response AS ({open_response}) "
        )
        if not postgresql:
            return posted + upsert + f"RETURNING {statement}"
        response_updated = quote(Response._meta.get_field("updated_at").column)
        touch = (
            f"UPDATE {response_table} SET {response_updated} = %s "  # noqa: S608
            f"WHERE {response_pk} = %s AND EXISTS (SELECT 1 FROM written)"
        )
        return (
            f"{posted.rstrip()}, written AS ({upsert}RETURNING 1), touched AS ({touch}) "  # noqa: S608
            "SELECT (SELECT COUNT(*) FROM written), (SELECT COUNT(*) FROM open_response)"
        )

    def __call__(self, response: Response, posted: list[tuple], now) -> tuple[int, bool]:
        """Save `posted` ([(statement id, current, desired, note)]): (rows written, whether the
        response was still open, that is not submitted)."""
        key = (connection.vendor, len(posted))
        sql = self._statements.get(key)
        if sql is None:
            sql = self._statements[key] = self._build(len(posted))
        stamp = Answer._meta.get_field("updated_at").get_db_prep_save(now, connection)
        params = [value for row in posted for value in row] + [response.pk, stamp]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(sql, [*params, stamp, response.pk])
                written, still_open = cursor.fetchone()
                return written, bool(still_open)
            cursor.execute(sql, params)
            written = len(cursor.fetchall())
            if written:
                return written, True
            # Nothing written: because nothing changed, or because the response was submitted?
            cursor.execute(_open_response_sql(), [response.pk])
            return 0, cursor.fetchone() is not None


def _open_response_sql() -> str:
    """SELECT the key of the response with the key given, while it is not submitted."""
    quote = connection.ops.quote_name
    pk = quote(Response._meta.pk.column)
    submitted = quote(Response._meta.get_field("submitted_at").column)
    return f"SELECT {pk} FROM {quote(Response._meta.db_table)} WHERE {pk} = %s AND {submitted} IS NULL"  # noqa: S608


_save_page = _PageSave()


class AlreadySubmitted(Exception):
    """The response was submitted (on another device) before this page could be saved."""


def save_answers(response: Response, values: dict[int, dict]) -> int:
    """Store the posted answers of one page: {statement_id: {"current", "desired", "note"}}.

    A scale left empty (None) keeps what was saved before, so a stale page on a second device never
    erases an answer; a note posted as "" clears it. Whatever is posted wins (last save per
    statement). Returns rows written; the response's updated_at is set when any was. Raises
    AlreadySubmitted, writing nothing, when the response has been submitted meanwhile."""
    posted = [
        (statement_id, given.get("current"), given.get("desired"), given.get("note"))
        for statement_id, given in values.items()
        if any(given.get(part) is not None for part in ("current", "desired", "note"))
    ]
    if not posted:
        return 0
    now = timezone.now()
    if connection.vendor == "postgresql":
        written, still_open = _save_page(response, posted, now)  # sets the response's updated_at as well
    else:
        with transaction.atomic():
            written, still_open = _save_page(response, posted, now)
            if written:
                response.updated_at = now
                _touch_response([response])
    if not still_open:
        raise AlreadySubmitted
    if written:
        response.updated_at = now
    return written


def missing_scales(response: Response, answers: dict | None = None) -> dict[int, list[str]]:
    """{statement_id: ["current", "desired"]} for every scale still without a level or "don't know".
    `answers` ({statement_id: Answer}) may be passed when the caller has loaded them already."""
    statements = Structure.of(response.instrument_version).statement_ids
    if answers is None:
        answers = answers_of(response)
    missing: dict[int, list[str]] = {}
    for statement_id in statements:
        answer = answers.get(statement_id)
        scales = [s for s in ("current", "desired") if answer is None or getattr(answer, s) is None]
        if scales:
            missing[statement_id] = scales
    return missing


# Submitting runs once per respondent, with them waiting: its UPDATE is built once (zelfscan.rows).
_save_submitted = rows.Update(Response, ("submitted_at", "updated_at", "round"))


class IncompleteResponse(ValueError):
    """Submitting failed: a scale of some statement has no answer yet."""


@transaction.atomic
def submit(response: Response) -> bool:
    """Submit a complete response. Idempotent: a second submit changes nothing and returns False.
    Raises IncompleteResponse (and changes nothing) while answers are missing."""
    locked = Response.objects.locked(response.pk)
    if locked.submitted_at is not None:
        return False
    if missing_scales(locked):
        raise IncompleteResponse("response is incomplete")
    if not locked.round.accepts_answers():
        # Its round closed (grace period over): the answers count in the continuous round instead.
        locked.round = continuous_round(locked.municipality)
        response.round = locked.round
    locked.submitted_at = locked.updated_at = timezone.now()
    _save_submitted([locked])
    if locked.email_confirmed_at is not None:
        # Only a confirmed response counts: submitting an unconfirmed one changes no one's counting
        # (its confirmation will call refresh_counting).
        refresh_counting(locked)
    raw = issue_token(locked)
    queue_mail(
        locked.email,
        "assessments/email/report_ready",
        {"response": locked, "link": personal_link(raw), "confirmed": locked.email_confirmed_at is not None},
        locked.language,
        kind="report_ready",
    )
    response.submitted_at = locked.submitted_at
    return True


# The responses of one person in one municipality and round: read (and locked) on every submit
# and confirmation, so built once (zelfscan.rows); the counting fields are written the same way.
_SAME_PERSON = rows.Select(Response, where=("identity", "municipality", "round"), order_by=("-submitted_at", "-id"))
_save_counting = rows.Update(Response, ("counted_at", "superseded_at"))


def refresh_counting(response: Response) -> None:
    """Apply "one confirmed address counts once per municipality and round": the latest submitted
    and confirmed response of the round counts; earlier ones are superseded (their owner still
    sees them). In an invite-only round only invited addresses count."""
    now = timezone.now()
    identity = counting_identity(response.email)
    round_id = response.round_id
    candidates = _SAME_PERSON.all(identity, response.municipality_id, round_id, for_update=True)
    submitted = [r for r in candidates if r.submitted_at is not None and r.email_confirmed_at is not None]
    if not submitted:
        return
    latest, *older = submitted
    if not may_count(response.round, identity):
        return
    transaction.on_commit(
        lambda: counted_responses_changed.send(
            sender=Response, municipality_id=response.municipality_id, round_id=round_id
        )
    )
    changed = []
    if latest.counted_at is None or latest.superseded_at is not None:
        latest.counted_at = now
        latest.superseded_at = None
        changed.append(latest)
    for older_response in older:
        if older_response.superseded_at is None:
            older_response.superseded_at = now
            changed.append(older_response)
    _save_counting(changed)


def send_new_links(email: str) -> int:
    """E-mail fresh personal links for every response of this address; silent for unknown ones."""
    responses = list(
        Response.objects.filter(email=normalise_email(email), is_demo=False).select_related("municipality")
    )
    if not responses:
        return 0
    language = responses[0].language
    links = [(response, personal_link(issue_token(response))) for response in responses]
    with transaction.atomic():
        queue_mail(
            responses[0].email,
            "assessments/email/new_links",
            {"links": links, "validity_days": settings.ZELFSCAN_LINK_VALIDITY_DAYS},
            language,
            kind="new_links",
            # Sending takes time only for known addresses: leave it to the outbox worker, so the
            # page answers equally fast for known and unknown addresses.
            deliver_now=False,
        )
    return len(links)


def previous_response(response: Response) -> Response | None:
    """The same person's latest submitted response for the same municipality in another round,
    to start a new round from. Only for a confirmed address: the browser that merely typed an
    address must never see the owner's earlier answers."""
    if response.email_confirmed_at is None:
        return None
    return (
        Response.objects.filter(
            identity=response.identity,
            municipality_id=response.municipality_id,
            submitted_at__isnull=False,
            email_confirmed_at__isnull=False,
            is_demo=False,
        )
        .exclude(round_id=response.round_id)
        .select_related("round", "instrument_version")
        .order_by("-submitted_at", "-id")
        .first()
    )


@transaction.atomic
def copy_previous_answers(response: Response, previous: Response) -> int:
    """Start from the earlier answers (levels and notes), statement by statement lineage, so an
    earlier instrument version carries over where statements stayed comparable. Only into a
    response that has no answers yet; returns how many statements were filled."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.answers.exists() or previous.identity != locked.identity:
        return 0
    by_lineage = {s.lineage: s.id for s in Structure.of(locked.instrument_version).statements}
    copied = [
        Answer(
            response=locked,
            statement_id=by_lineage[old.statement.lineage],
            current=old.current,
            desired=old.desired,
            note=old.note,
        )
        for old in previous.answers.select_related("statement")
        if old.statement.lineage in by_lineage
    ]
    Answer.objects.bulk_create(copied)
    Response.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return len(copied)
