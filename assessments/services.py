"""The respondent's write layer: every change to a response goes through these functions.

Views validate input; these functions change state atomically and queue e-mail.
"""

import secrets
import uuid
from dataclasses import dataclass
from typing import NamedTuple

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


LINK_ACCESS = "link"
REGISTRATION_ACCESS = "registration"


def session_grant(session, public_id: str) -> str | None:
    """What the session was granted for the response with this public id: LINK_ACCESS (it opened
    the personal link), REGISTRATION_ACCESS (it registered the address: valid only while the
    address is unconfirmed, see grant_registration_session) or None."""
    if public_id in session.get(SESSION_KEY, []):
        return LINK_ACCESS
    if session.get(REGISTRATION_KEY) == public_id:
        return REGISTRATION_ACCESS
    return None


def session_allows(session, response: Response) -> bool:
    grant = session_grant(session, str(response.public_id))
    return grant == LINK_ACCESS or (grant == REGISTRATION_ACCESS and response.email_confirmed_at is None)


# A page save runs on every theme page, so it is one statement built once per process (and per
# number of statements on the page): an upsert that leaves a scale posted empty as it was saved
# (zelfscan.rows explains why the hot SQL is not built by the ORM on every request).
_PAGE_COLUMNS = ("statement", "current", "desired", "note")


@dataclass(frozen=True)
class PageTarget:
    """The response a page save writes into. The save's own statement finds it: by its public id,
    while it is not submitted and on `version`; while its address is unconfirmed as well when
    `unconfirmed_only` (a session that only registered the address: session_grant); and, when
    `version_guessed` (the version was taken from this process's memory, not from the response just
    read: assessments.views.theme), only while the version's content is the one remembered, whose
    statements the post was checked against."""

    public_id: uuid.UUID
    version: InstrumentVersion
    is_demo: bool = False
    unconfirmed_only: bool = False
    version_guessed: bool = False

    @classmethod
    def of(cls, response: Response, *, unconfirmed_only: bool = False) -> "PageTarget":
        return cls(response.public_id, response.instrument_version, response.is_demo, unconfirmed_only)


class SavedPage(NamedTuple):
    """A page save's outcome: the rows written and the response's key and language."""

    written: int
    response_pk: int
    language: str


class _PageSave:
    """A page's answers saved with INSERT ... ON CONFLICT DO UPDATE, the response found and checked
    in the same statement.

    Each posted row is (statement id, current, desired, note), None where the respondent changed
    nothing: a level posted as None keeps the saved level; a note posted as None keeps the saved
    note, "" clears it. A row is inserted only when it carries something (a level or a note), and
    an existing row is updated (and its updated_at set) only when a value really changes, so the
    rows it returns are the rows written. Concurrent saves of one statement are safe without a
    read first: the database serialises them on the unique (response, statement) key, and each
    keeps what the other saved for the scales it left empty.

    Nothing is written into a response that does not match the PageTarget, which includes one that
    has been submitted meanwhile (on another device). On PostgreSQL the statement locks the
    response row while it matches, so a save that waited for a submit finds it submitted, and it
    sets the response's updated_at too (a data-modifying WITH): a page save is one round trip, with
    no transaction of its own. SQLite has no such WITH: there the response is read first, in the
    same transaction as the upsert and the updated_at (its transactions take the write lock at
    BEGIN, settings: transaction_mode IMMEDIATE). Returns a SavedPage, or None when no response
    matches the target."""

    def __init__(self):
        self._statements: dict = {}

    def _build(self, count: int) -> str:
        quote = connection.ops.quote_name
        meta = Answer._meta
        column = {name: quote(meta.get_field(name).column) for name in ("response", "updated_at", *_PAGE_COLUMNS)}
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            # A NULL in VALUES would otherwise be typed as text.
            casts = [f"CAST(%s AS {meta.get_field(name).cast_db_type(connection)})" for name in _PAGE_COLUMNS]
        else:
            casts = ["%s"] * len(_PAGE_COLUMNS)
        values = ", ".join([f"({', '.join(casts)})"] * count)
        table = quote(meta.db_table)
        response_pk = quote(Response._meta.pk.column)
        statement, current, desired, note = (column[name] for name in _PAGE_COLUMNS)
        posted_note = f"(SELECT q.note FROM posted q WHERE q.statement_id = excluded.{statement})"  # noqa: S608
        new = {
            current: f"COALESCE(excluded.{current}, a.{current})",
            desired: f"COALESCE(excluded.{desired}, a.{desired})",
            note: f"COALESCE({posted_note}, a.{note})",
        }
        # The response: on PostgreSQL found and locked here (the lock waits for a submit in
        # progress, and then the row is read again); on SQLite found before, in this transaction.
        if postgresql:
            open_response = _open_response_sql() + " FOR NO KEY UPDATE OF r"
        else:
            open_response = f"SELECT %s AS {response_pk}"
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
        language = quote(Response._meta.get_field("language").column)
        touch = _touch_response_sql(f"(SELECT {response_pk} FROM open_response)")  # noqa: S608 - a quoted name
        return (
            f"{posted.rstrip()}, written AS ({upsert}RETURNING 1), "  # noqa: S608 - built above
            f"touched AS ({touch} AND EXISTS (SELECT 1 FROM written)) "
            f"SELECT o.{response_pk}, o.{language}, (SELECT COUNT(*) FROM written) FROM open_response o"
        )

    def __call__(self, target: PageTarget, posted: list[tuple], now) -> SavedPage | None:
        """Save `posted` ([(statement id, current, desired, note)]) into the target's response;
        with nothing posted, only look the response up."""
        found = _open_response_params(target)
        if not posted:
            with connection.cursor() as cursor:
                cursor.execute(self._sql("open"), found)
                row = cursor.fetchone()
            return None if row is None else SavedPage(0, row[0], row[1])
        stamp = Answer._meta.get_field("updated_at").get_db_prep_save(now, connection)
        values = [value for row in posted for value in row]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(self._sql(len(posted)), [*values, *found, stamp, stamp])
                row = cursor.fetchone()
            return None if row is None else SavedPage(row[2], row[0], row[1])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(self._sql("open"), found)
            row = cursor.fetchone()
            if row is None:
                return None
            cursor.execute(self._sql(len(posted)), [*values, row[0], stamp])
            written = len(cursor.fetchall())
            if written:
                cursor.execute(self._sql("touch"), [stamp, row[0]])
            return SavedPage(written, row[0], row[1])

    def _sql(self, kind: int | str) -> str:
        """The statement of `kind`, built once per database: the save of that many rows, "open"
        (_open_response_sql) or "touch" (_touch_response_sql)."""
        key = (connection.vendor, kind)
        sql = self._statements.get(key)
        if sql is None:
            if kind == "open":
                sql = _open_response_sql()
            elif kind == "touch":
                sql = _touch_response_sql()
            else:
                sql = self._build(kind)
            self._statements[key] = sql
        return sql


def _open_response_sql() -> str:
    """SELECT the key and language of the response a PageTarget names, if it matches (see
    _open_response_params for the parameters)."""
    quote = connection.ops.quote_name
    response, version = Response._meta, InstrumentVersion._meta

    def field(meta, name):
        return quote(meta.get_field(name).column)

    pk, version_pk = quote(response.pk.column), quote(version.pk.column)
    # The parameters: public id, is_demo, version, "version not guessed", the version's content
    # hash, "not unconfirmed only".
    return (
        f"SELECT r.{pk}, r.{field(response, 'language')} "  # noqa: S608 - names from the models
        f"FROM {quote(response.db_table)} r INNER JOIN {quote(version.db_table)} v "
        f"ON v.{version_pk} = r.{field(response, 'instrument_version')} "
        f"WHERE r.{field(response, 'public_id')} = %s AND r.{field(response, 'is_demo')} = %s "
        f"AND r.{field(response, 'submitted_at')} IS NULL AND r.{field(response, 'instrument_version')} = %s "
        f"AND (%s OR v.{field(version, 'content_sha256')} = %s) "
        f"AND (%s OR r.{field(response, 'email_confirmed_at')} IS NULL)"
    )


def _open_response_params(target: PageTarget) -> list:
    public_id = Response._meta.get_field("public_id").get_db_prep_value(target.public_id, connection)
    version = target.version
    return [
        public_id,
        target.is_demo,
        version.pk,
        not target.version_guessed,
        version.content_sha256,
        not target.unconfirmed_only,
    ]


def _touch_response_sql(key: str = "%s") -> str:
    """UPDATE the updated_at (a parameter) of the response whose key is `key` (by default a parameter)."""
    quote = connection.ops.quote_name
    meta = Response._meta
    return (
        f"UPDATE {quote(meta.db_table)} SET {quote(meta.get_field('updated_at').column)} = %s "  # noqa: S608
        f"WHERE {quote(meta.pk.column)} = {key}"
    )


_save_page = _PageSave()


class AlreadySubmitted(Exception):
    """The response was submitted (on another device) before this page could be saved."""


class AccessLost(Exception):
    """The address was confirmed (its owner opened the link) before this page could be saved by a
    session that had only registered it (grant_registration_session)."""


def _posted_rows(values: dict[int, dict]) -> list[tuple]:
    """[(statement id, current, desired, note)] for each statement with something posted."""
    return [
        (statement_id, given.get("current"), given.get("desired"), given.get("note"))
        for statement_id, given in values.items()
        if any(given.get(part) is not None for part in ("current", "desired", "note"))
    ]


def save_page(target: PageTarget, values: dict[int, dict]) -> SavedPage | None:
    """save_answers for a response not read first: the response the target names gets the
    answers, its key and language are returned; None, with nothing written, when no response
    matches the target (assessments.views.theme then reads the response and saves the ordinary way)."""
    return _save_page(target, _posted_rows(values), timezone.now())


def save_answers(response: Response, values: dict[int, dict], *, unconfirmed_only: bool = False) -> int:
    """Store the posted answers of one page: {statement_id: {"current", "desired", "note"}}.

    A scale left empty (None) keeps what was saved before, so a stale page on a second device never
    erases an answer; a note posted as "" clears it. Whatever is posted wins (last save per
    statement). Returns rows written; the response's updated_at is set when any was. Writes nothing
    and raises AlreadySubmitted when the response has been submitted meanwhile, or AccessLost when
    `unconfirmed_only` (the session only registered the address) and the address has been
    confirmed meanwhile."""
    posted = _posted_rows(values)
    if not posted:
        return 0
    now = timezone.now()
    saved = _save_page(PageTarget.of(response, unconfirmed_only=unconfirmed_only), posted, now)
    if saved is None:
        if unconfirmed_only and not Response.objects.filter(pk=response.pk, submitted_at__isnull=False).exists():
            raise AccessLost
        raise AlreadySubmitted
    if saved.written:
        response.updated_at = now
    return saved.written


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
