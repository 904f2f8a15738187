"""The answer to a refused attempt: 429 Too Many Requests, with Retry-After."""

from django.shortcuts import render

from .rules import Decision


def mark_limited(response, decision: Decision):
    response.status_code = 429
    response["Retry-After"] = str(decision.retry_after)
    return response


def refuse(request, template: str, context: dict, decision: Decision):
    """Render `template` again (with the posted form in `context`, so nothing typed is lost) and
    `limited` for the notice that says what happened and when to try again."""
    return mark_limited(render(request, template, {**context, "limited": decision}), decision)
