"""Pages rendered once and filled in per request ("frames").

The busiest pages (the theme page above all) are the same for every visitor except for a few
values: the answers, the CSRF token, a response's id. Rendering such a page through the template
engine on every request costs most of the request; instead the template is rendered once per key
(the language, the instrument version, ...) with a *slot* in place of each per-request value, cut
into its constant parts, and each request only joins those parts with its own values.

The template stays the single source of the markup. A view describes its page as a function of
a lookup `v`: `make_context(v)` builds the template's context, asking `v(name)` for every
per-request value. For the ordinary render `v` returns the values themselves; for the frame it
returns slots. So the filled-in frame is the page the template gives with the values, and
`ENABLED = False` (tests) renders every page the ordinary way to compare.

Rules for a framed template: a per-request value is output plainly (`{{ value }}`, or as a UUID in
`{% url %}`), never passed through a filter or tested in `{% if %}`: the frame sees only the slot.
Anything else the page depends on goes into the key, or the page is rendered the ordinary way
(pages with errors, notices, or messages from django.contrib.messages).
"""

import html
import re
import threading
import uuid

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render as render_page
from django.template.context_processors import i18n
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeData, SafeString

# Off: every page is rendered the ordinary way (the tests compare both).
ENABLED = True
MAX_FRAMES = 500
SLOT = re.compile("\x02([^\x02\x03]+)\x03")
_NAMESPACE = uuid.UUID("5107f4a3-0e5c-4d0b-9a7e-f4a3e5c9d0b1")


def slot(name: str) -> SafeString:
    """The placeholder for a per-request value named `name`."""
    return SafeString(f"\x02{name}\x03")


class _SlotRequest:
    """Stands in for the request in a frame's context (base.html's language switch reads it)."""

    def get_full_path(self) -> SafeString:
        return slot("request.get_full_path")


class Frame:
    """A rendered page cut at its slots: constant parts and, between them, the names of the slots."""

    __slots__ = ("parts", "names")

    def __init__(self, text: str, uuids: dict[str, str] | None = None):
        for stand_in, name in (uuids or {}).items():
            text = text.replace(stand_in, slot(name))
        pieces = SLOT.split(text)
        self.parts = pieces[0::2]
        self.names = pieces[1::2]

    def fill(self, values: dict) -> str:
        """The page with every slot replaced by its value, HTML-escaped unless marked safe (as
        the template's autoescaping does: django.utils.html.escape is html.escape)."""
        parts = self.parts
        out = [parts[0]]
        append = out.append
        for index, name in enumerate(self.names, start=1):
            value = values[name]
            append(value if isinstance(value, SafeData) else html.escape(str(value)))
            append(parts[index])
        return "".join(out)


_frames: dict = {}
_lock = threading.Lock()


def _build(template_name: str, make_context) -> Frame:
    uuids: dict[str, str] = {}

    def stand_in(name: str):
        # A URL needs a real UUID where the response's id goes: one derived from the slot's name.
        if name.endswith("_uuid"):
            fake = uuid.uuid5(_NAMESPACE, name)
            uuids[str(fake)] = name
            return fake
        return slot(name)

    context = {**i18n(None), **make_context(stand_in), "csrf_token": slot("csrf_token"), "request": _SlotRequest()}
    return Frame(get_template(template_name).render(context), uuids)


def frame(template_name: str, key: tuple, make_context) -> Frame:
    """The frame of `template_name` for `key` in the active language, built the first time. With
    DEBUG on, templates may change while the server runs, so the frame is built every time."""
    cache_key = (template_name, translation.get_language(), *key)
    found = None if settings.DEBUG else _frames.get(cache_key)
    if found is None:
        found = _build(template_name, make_context)
        with _lock:
            if len(_frames) >= MAX_FRAMES:
                _frames.clear()
            _frames[cache_key] = found
    return found


def render(
    request, template_name: str, make_context, values: dict, *, key: tuple = (), framed: bool = True, status: int = 200
):
    """The page `template_name` with `make_context(v)` as its context, where `v(name)` is
    `values[name]`: filled into the page's frame for `key` (plus the active language), or
    rendered the ordinary way when not `framed` or while messages are waiting to be shown.

    A value whose name ends in "_uuid" is a UUID (a URL may need it); every other value is text.
    The frame's CSRF token and base.html's language switch are filled in from the request."""
    if not (ENABLED and framed) or len(get_messages(request)):
        return render_page(request, template_name, make_context(values.__getitem__), status=status)
    page = frame(template_name, key, make_context)
    if "csrf_token" in page.names:
        values = {**values, "csrf_token": get_token(request)}
    if "request.get_full_path" in page.names:
        values = {**values, "request.get_full_path": request.get_full_path()}
    return HttpResponse(page.fill(values), status=status)


def clear(**kwargs) -> None:
    _frames.clear()


# Settings baked into frames (e.g. the longest note) may be changed by tests.
setting_changed.connect(clear)
