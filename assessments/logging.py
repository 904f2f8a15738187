"""Keep personal-link tokens out of every log line (privacy-model.md, "Personal links")."""

import logging
import re

TOKEN_PARAMETER = re.compile(r"([?&]t=)[^&\s\"']+")


def redact(text: str) -> str:
    return TOKEN_PARAMETER.sub(r"\1[redacted]", text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
