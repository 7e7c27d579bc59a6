"""Whole rendered pages from the fragment cache, with this request's CSRF token and the
signed-in person's name put in.

The busiest pages (team page, key-result page) look the same for every viewer with the same
role and edit right, in the same language — only the CSRF token and the signed-in person's
name in the header differ per request. They are rendered once with placeholders for both and
cached under a key that carries the page versions (leitstern/orgs/versions.py), the viewer's
role and the path; each request then costs one cache read and two string replacements
instead of a template render.

Not cached: requests with messages to show (those are per viewer and must be consumed), and
requests with a query string (the language switch's `next` echoes it, and arbitrary query
strings would flood the cache) unless the caller's key is a digest of what the query shows
and the query holds only the parameters it names (`query_in_key`: the learning library's
search and filters).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.html import escape

from leitstern.lib.digest_cache import digest_key


def _slot(name: str) -> str:
    """What stands in for the token (or the viewer's name) in a cached page: letters and digits
    (escaping leaves it alone), the same in every process of one installation (a shared
    Redis), and derived from the secret key, so nobody can write it into a name or a search
    to have it replaced."""
    return "slot" + salted_hmac("leitstern.page_cache.2", name).hexdigest()[:32]


def viewer_name(request: HttpRequest) -> str:
    """How the header names the signed-in person: their name, else their email address."""
    user = request.user
    return str(getattr(user, "name", "") or getattr(user, "email", ""))


def render_page(
    request: HttpRequest,
    role: str,
    key: str,
    template_name: str,
    context: Callable[[], dict[str, Any]],
    *,
    query_in_key: Collection[str] = (),
) -> HttpResponse:
    """`template_name` rendered with `context()`, or the cached page under `key` (which must
    change whenever anything on the page changes, except the viewer's `role` and the path,
    and the query string when it holds only the parameters named in `query_in_key`, once
    each)."""
    known = all(
        name in query_in_key and len(request.GET.getlist(name)) == 1 for name in request.GET
    )
    if not known or len(messages.get_messages(request)):
        return render(request, template_name, context())
    path = request.get_full_path()
    page_key = digest_key("page", (key, role, template_name, path))
    html = caches["fragments"].get(page_key)
    token, viewer = _slot("token-slot"), _slot("viewer-slot")
    if html is None:
        slots = {"csrf_token": token, "viewer_slot": viewer}
        html = render_to_string(template_name, {**context(), **slots}, request)
        caches["fragments"].set(page_key, html)
    html = html.replace(viewer, escape(viewer_name(request)))
    return HttpResponse(html.replace(token, get_token(request)))
