"""Sign-in hardening glue: django-axes hooks and session expiry.

Why these exist:
- Axes keys lockouts by *username and IP together*, so an attacker elsewhere cannot lock a
  colleague out; the cool-off is short (settings.AXES_COOLOFF_TIME).
- allauth signs in by email (credential key ``email``, form field ``login``), axes expects
  ``username``; ``axes_username`` bridges the two.
- Behind a reverse proxy every request comes from the proxy's address. ``client_ip`` takes
  the client address from X-Forwarded-For, trusting exactly ``LEITSTERN_PROXY_COUNT``
  proxies (0 = use REMOTE_ADDR), so the IP part of the lockout key stays meaningful.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SESSION_STARTED = "_ls_started"
SESSION_SEEN = "_ls_seen"
# Writing the session on every request would cost a database write per page; a minute of
# slack on the idle timer is harmless.
SEEN_RESOLUTION_SECONDS = 60


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The sign-in name axes counts failures for: the (lower-cased) email address."""
    value = ""
    if credentials:
        value = credentials.get("email") or credentials.get("username") or ""
    if not value and request is not None:
        value = request.POST.get("login", "") or request.POST.get("username", "")
    return str(value).strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, honouring exactly LEITSTERN_PROXY_COUNT trusted proxies."""
    proxies = int(getattr(settings, "LEITSTERN_PROXY_COUNT", 0))
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h]
    # The right-most `proxies` entries were appended by our own proxies; the one before
    # them is the client as seen by the first trusted proxy.
    if len(hops) >= proxies:
        return hops[-proxies]
    return remote


class AxesBackend(AxesStandaloneBackend):
    """Axes' backend, but silent when there is no request.

    Web sign-in (allauth, admin) always passes the request. Code paths without one — the
    test client's ``login()``, shell scripts — cannot be brute-forced over the network, so
    the lockout check is skipped there instead of raising.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def mark_session_start(request: HttpRequest) -> None:
    """Start the absolute session clock (called at every sign-in)."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class SessionExpiryMiddleware:
    """Idle and absolute session expiry.

    Absolute: a session ends ``SESSION_COOKIE_AGE`` seconds after sign-in, however busy.
    Idle: it ends after ``LEITSTERN_SESSION_IDLE_SECONDS`` without a request. We track both
    in the session itself instead of ``SESSION_SAVE_EVERY_REQUEST`` because that setting
    renews the cookie on every request and so turns the absolute limit into a sliding one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(time.time())
        started = request.session.get(SESSION_STARTED)
        seen = request.session.get(SESSION_SEEN)
        if started is None or seen is None:
            mark_session_start(request)  # sessions from before this middleware existed
            return
        idle = int(getattr(settings, "LEITSTERN_SESSION_IDLE_SECONDS", 2 * 60 * 60))
        if now - started > settings.SESSION_COOKIE_AGE or now - seen > idle:
            logout(request)  # flushes the session; LoginRequiredMiddleware then asks to sign in
            return
        if now - seen >= SEEN_RESOLUTION_SECONDS:
            request.session[SESSION_SEEN] = now
