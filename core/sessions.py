"""Database sessions whose idle expiry is pushed forward with one UPDATE, at most once a minute.

Django slides a session's expiry by saving the whole session on every request (SESSION_SAVE_EVERY_REQUEST):
three queries on every page (a transaction around an UPDATE of the encoded data). This store remembers the
expiry it read, and `push_expiry` moves only that column, and only when it has fallen a minute or more
behind a full SESSION_COOKIE_AGE from now. A session can therefore end up to a minute early.
Set as SESSION_ENGINE; IdleSessionRefreshMiddleware calls push_expiry on each request.
"""

from __future__ import annotations

import datetime

from django.contrib.sessions.backends import db
from django.utils import timezone

from core.prepared import PreparedQuery

# How far behind a full idle period the stored expiry may fall before a request moves it (seconds).
PUSH_INTERVAL = 60


def _session(session_key: str):
    return db.SessionStore.get_model_class()._default_manager.filter(session_key=session_key)


# Every request with a session cookie reads its session: the SQL is built once (core/prepared.py). A
# session key is letters and digits, never the marker.
_SESSION = PreparedQuery(_session, marker="-")


class SessionStore(db.SessionStore):
    expire_date: datetime.datetime | None = None  # as stored, once the session has been read

    def _get_session_from_db(self):
        """Return the stored session unless it has expired (then forget the key, as Django does)."""
        stored = _SESSION.first(self.model, self.session_key)
        if stored is None or stored.expire_date <= timezone.now():
            self._session_key = None
            stored = None
        self.expire_date = stored.expire_date if stored else None
        return stored

    def save(self, must_create: bool = False) -> None:
        super().save(must_create=must_create)
        self.expire_date = self.get_expiry_date()

    def push_expiry(self) -> None:
        """Move the stored expiry to a full idle period from now, if it is a minute or more behind."""
        self._get_session()  # reads the row (and expire_date) unless this request already has
        if self.session_key is None or self.expire_date is None:
            return
        fresh = timezone.now() + datetime.timedelta(seconds=self.get_expiry_age())
        if fresh - self.expire_date >= datetime.timedelta(seconds=PUSH_INTERVAL):
            self.model.objects.filter(session_key=self.session_key).update(expire_date=fresh)
            self.expire_date = fresh
