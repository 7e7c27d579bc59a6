"""`leitstern purge`: delete data whose retention period is over. Idempotent; run daily.

Schedule it with cron or a systemd timer, e.g. `17 3 * * * leitstern purge`. It deletes
- security audit events older than each organisation's `audit_retention_days`,
- failed sign-in records (django-axes) older than a day,
- expired sessions (Django's clearsessions).
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from leitstern.trust.charter import FAILED_SIGNIN_KEEP_DAYS
from leitstern.trust.services import purge_audit_events


class Command(BaseCommand):
    help = "Delete audit events, failed sign-in records and sessions past their retention."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        events = purge_audit_events(now=now)
        cutoff = now - datetime.timedelta(days=FAILED_SIGNIN_KEEP_DAYS)
        attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
        failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
        sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
        self.stdout.write(
            f"purged: {events} audit events, {attempts + failures} failed sign-in records, "
            f"{sessions} expired sessions"
        )
