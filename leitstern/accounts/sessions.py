"""Django's database sessions, read through a query compiled once (SESSION_ENGINE).

Every signed-in request reads its session. Building and compiling that one-row lookup
through the ORM costs more CPU than the database spends running it (lib/sqlrows.py), so the
read goes through a PreparedRows: the ORM's own SQL, parameters and converters, compiled once
per connection. Writing, expiry and everything else is Django's.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from leitstern.lib.sqlrows import PreparedRows

_SESSION = PreparedRows(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        "session_key", "session_data", "expire_date"
    ),
    fields=(Session._meta.get_field("session_key"), Session._meta.get_field("expire_date")),
    markers=(
        "leitstern-session-marker",
        datetime.datetime(1987, 6, 5, 4, 3, 2, 1, tzinfo=datetime.UTC),
    ),
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        """As Django's: the unexpired session under this key, or None (forgetting the key)."""
        try:
            rows = _SESSION.rows(self.session_key, timezone.now())
        except SuspiciousOperation as e:  # as Django's, should a converter raise it
            logging.getLogger(f"django.security.{e.__class__.__name__}").warning(str(e))
            rows = []
        if not rows:
            self._session_key = None
            return None
        key, data, expires = rows[0]
        return Session(session_key=key, session_data=data, expire_date=expires)
