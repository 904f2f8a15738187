# TEMPORARY (development only): the test settings with a referrer policy that lets Chromium send
# a real Origin header on same-origin POSTs. Deleted before hand-over.
from zelfscan.settings.test import *  # noqa: F403

SECURE_REFERRER_POLICY = "same-origin"
