"""Display of the organisation report's figures: one place decides how a figure, a share or a
range reads, so the web page, the presentation and the PDF read alike."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from pages.templatetags.zelfscan import decimal_comma

register = template.Library()


@register.simple_tag
def figure(value):
    """A mean with its n ("3,2 (n=12)"), or "not shown" when it may not be shown."""
    if value is None:
        return "–"
    if not value.shown:
        return format_html('<span class="muted">{}</span>', _("not shown"))
    return format_html('{} <span class="muted">(n={})</span>', decimal_comma(value.mean), value.n)


@register.simple_tag
def mean(value):
    """Only the mean ("3,2"), or "–"."""
    if value is None or not value.shown:
        return "–"
    return decimal_comma(value.mean)


@register.filter
def signed_decimal(value):
    """A difference of means: "+1,2", "0,0", "-0,4"; "–" when it cannot be computed."""
    if value is None:
        return "–"
    text = decimal_comma(value)
    return f"+{text}" if value > 0 else text


@register.simple_tag
def dont_know(share):
    """ "12% (3 of 25)", or "not shown" (too few gave a level to show this statement)."""
    if share is None or not share.shown:
        return format_html('<span class="muted">{}</span>', _("not shown"))
    return format_html(
        '{}% <span class="muted">({})</span>',
        share.percent,
        _("%(count)s of %(total)s") % {"count": share.count, "total": share.total},
    )


@register.filter
def level_range(part):
    """A part of a distribution: "3" or "1–2"."""
    return str(part.low) if part.low == part.high else f"{part.low}–{part.high}"
