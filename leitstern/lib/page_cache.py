"""Whole rendered pages from the fragment cache, with this request's CSRF token put in.

The busiest pages (team page, key-result page) look the same for every viewer with the same
role and edit right, in the same language — only the CSRF token differs per request. They are
rendered once with a placeholder for the token and cached under a key that carries the page
versions (leitstern/orgs/versions.py), the viewer's role and the path; each request then costs
one cache read and one string replacement instead of a template render.

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

from leitstern.lib.digest_cache import digest_key


def _token_slot() -> str:
    """What stands in for the token in a cached page: letters and digits (escaping leaves it
    alone), the same in every process of one installation (a shared Redis), and derived from
    the secret key, so nobody can write it into a name or a search to have it replaced."""
    return "csrf" + salted_hmac("leitstern.page_cache", "token-slot").hexdigest()[:32]


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
    slot = _token_slot()
    if html is None:
        html = render_to_string(template_name, {**context(), "csrf_token": slot}, request)
        caches["fragments"].set(page_key, html)
    return HttpResponse(html.replace(slot, get_token(request)))
