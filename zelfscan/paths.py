"""The respondent's redirects without Django's URL resolver on every request.

`reverse()` costs ~0.1 ms of CPU (it tries the named pattern's candidates, checks each argument
against its converter and quotes the result): as much as loading the response, on every page save,
each of which answers with a redirect. The paths of these pages differ only in their arguments (a
response's UUID, a theme's number), so `reverse_path` reverses a name once per process with
stand-in arguments and fills the resulting template in on later calls. Only arguments whose text
needs no checking or quoting take that way: `uuid.UUID` values and non-negative ints; anything else
goes through `reverse()` itself. zelfscan/tests/test_paths.py compares both for every respondent page.
"""

import uuid

from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_templates: dict = {}


def _stand_in(value, index: int):
    """A value of the same type as `value` that the URL converters accept and that no path holds."""
    if type(value) is uuid.UUID:
        return uuid.UUID(f"5f0c1d2e-3a4b-4c5d-8e6f-{index + 1:012x}")
    return 918273645000 + index


def _template(name: str, kwargs: dict) -> list[str] | None:
    """The path of `name` as [text, argument name, text, ...], or None when a stand-in does not
    appear exactly once in it (then reverse() is used every time)."""
    stand_ins = {key: _stand_in(value, index) for index, (key, value) in enumerate(kwargs.items())}
    try:
        path = reverse(name, kwargs=stand_ins)
    except NoReverseMatch:  # a pattern that refuses the stand-ins: reverse() every time
        return None
    for key, value in stand_ins.items():
        text = str(value)
        if path.count(text) != 1:
            return None
        path = path.replace(text, f"\0{key}\0")
    return path.split("\0")


def reverse_path(name: str, **kwargs) -> str:
    """reverse(name, kwargs=kwargs), from a template built once per name, argument names and types,
    script prefix, URLconf and language."""
    if not all(type(value) is uuid.UUID or (type(value) is int and value >= 0) for value in kwargs.values()):
        return reverse(name, kwargs=kwargs)
    # The language too, should the URLs ever be translated or prefixed with it (i18n_patterns).
    key = (
        name,
        *((key, type(value)) for key, value in kwargs.items()),
        get_script_prefix(),
        get_urlconf(),
        get_language(),
    )
    try:
        template = _templates[key]
    except KeyError:
        template = _templates[key] = _template(name, kwargs)
    if template is None:
        return reverse(name, kwargs=kwargs)
    parts = template.copy()
    for index in range(1, len(parts), 2):
        parts[index] = str(kwargs[parts[index]])
    return "".join(parts)


def redirect(name: str, **kwargs) -> HttpResponseRedirect:
    """django.shortcuts.redirect(name, **kwargs) for a URL name, by way of reverse_path."""
    return HttpResponseRedirect(reverse_path(name, **kwargs))
