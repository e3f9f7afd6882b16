"""Sessions in the database, each row read once per change of the data (#26).

`SESSION_ENGINE`. Django's database store read the session row on every request that
touched the session (every signed-in page). Here the row is kept until a stored session
may have changed (`matchmaker.read_once`): a log-out, a renewal or any other save or delete
of a session is a write, so the next request reads again. Its expiry is checked on every
use, against the clock, as Django's query checks it.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from matchmaker.accounts.backends import BACKEND
from matchmaker.read_once import read_once_per_change
from matchmaker.written_areas import SESSIONS

# The backend sessions signed in before `MembershipsModelBackend` name; they stay signed in
# (read as ours; saved so at their next renewal), not all signed out by a deploy.
FORMER_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SessionStore(DatabaseSessionStore):
    def load(self) -> dict:
        session = super().load()
        if session.get(BACKEND_SESSION_KEY) == FORMER_BACKEND:
            session[BACKEND_SESSION_KEY] = BACKEND
        return session

    def _get_session_from_db(self):
        key = self.session_key

        def read():
            return (
                self.model.objects.filter(session_key=key)
                .values_list("session_data", "expire_date")
                .first()
            )

        database = connections[router.db_for_read(self.model)]
        row = read_once_per_change(database, "session", key, read, area=SESSIONS) if key else None
        if row is None or row[1] <= timezone.now():
            self._session_key = None
            return None
        session_data, expire_date = row
        return self.model(session_key=key, session_data=session_data, expire_date=expire_date)
