from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "leitstern.trust"
    verbose_name = _("Trust and privacy")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # A security hook, not domain flow: the absolute session clock restarts at sign-in.
        user_logged_in.connect(_start_session_clock, dispatch_uid="leitstern_session_clock")


def _start_session_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from leitstern.trust.security import mark_session_start

    if request is not None and hasattr(request, "session"):
        mark_session_start(request)
