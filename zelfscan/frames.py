"""Pages rendered once and filled in per request ("frames").

The busiest pages (the theme page above all) are the same for every respondent except for a few
values: the answers, the CSRF token, the response's id. Rendering such a page through the template
engine on every request costs most of the request; instead the template is rendered once per
(version, language, ...) with a *slot* in place of each per-request value, cut into its constant
parts, and each request only joins those parts with its own values.

The template stays the single source of the markup: the same template, rendered with the real
values, gives the same page (tests compare the two). Rules for a template rendered as a frame:
- a per-request value is output plainly (`{{ value }}`), never passed through a filter or compared
  in `{% if %}`: the frame sees only the slot;
- anything that changes the page's structure (errors, notices, access) is rendered the ordinary
  way, not from a frame.
"""

import html
import re
import threading
import uuid

from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.utils.safestring import SafeData, SafeString

SLOT = re.compile("\x02([^\x02\x03]+)\x03")
# Stands in for an object's UUID where a URL needs a real one ({% url ... public_id=... %}).
SLOT_UUID = uuid.UUID("00000000-f4a3-4e5c-9d0b-5107505107e5")


def slot(name: str) -> SafeString:
    """The placeholder for a per-request value named `name`."""
    return SafeString(f"\x02{name}\x03")


class Frame:
    """A rendered page cut at its slots: constant parts and, between them, the names of the slots."""

    __slots__ = ("parts", "names")

    def __init__(self, html: str, uuid_slot: str | None = None):
        if uuid_slot:
            html = html.replace(str(SLOT_UUID), slot(uuid_slot))
        pieces = SLOT.split(html)
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
MAX_FRAMES = 500


def frame(template_name: str, key: tuple, context: "callable", uuid_slot: str | None = None) -> Frame:
    """The frame of `template_name` for `key` (everything the constant parts depend on, such as
    the version and the language), rendered from `context()` the first time. With DEBUG on,
    templates may change while the server runs, so the frame is rendered every time."""
    cache_key = (template_name, *key)
    found = None if settings.DEBUG else _frames.get(cache_key)
    if found is None:
        html = get_template(template_name).render(context())
        found = Frame(html, uuid_slot)
        with _lock:
            if len(_frames) >= MAX_FRAMES:
                _frames.clear()
            _frames[cache_key] = found
    return found


def clear(**kwargs) -> None:
    _frames.clear()


# Settings baked into frames (e.g. the longest note) may be changed by tests.
setting_changed.connect(clear)
