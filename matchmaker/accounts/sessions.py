"""Sessions that end after inactivity.

A session (cookie and stored row) lives `SESSION_COOKIE_AGE` seconds from its last save.
Django saves it only when it changes, so this middleware marks it changed when it was
last renewed more than `RENEW_EVERY` ago: an active user stays signed in, one idle for
the whole age is signed out, and a page costs no session write more than once a minute
(`SESSION_SAVE_EVERY_REQUEST` would write on every request).
"""

import time

from django.contrib.auth import SESSION_KEY

RENEW_EVERY = 60
KEY = "_renewed_at"


def session_renewed(request) -> None:
    """Count the minute from now (at log-in: the new session is saved anyway). Only a
    session that signed the user in: a token's log-in or request carries none, and marking
    its empty one stored a session row each time."""
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        session[KEY] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(KEY, 0) >= RENEW_EVERY:
                session_renewed(request)  # a change: the session middleware saves it
        return response
