"""Counts the SQL queries of each request and reports them in response headers.

For benchmarks only: settings add this middleware when LEITSTERN_BENCH=1. It uses Django's
`execute_wrapper`, so it works with DEBUG off (where `connection.queries` stays empty) and costs
one function call per query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

COUNT_HEADER = "X-Query-Count"
TIME_HEADER = "X-Query-Ms"


class _Counter:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _Counter()
        wrappers = [c.execute_wrapper(counter) for c in connections.all(initialized_only=False)]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response[COUNT_HEADER] = str(counter.count)
        response[TIME_HEADER] = f"{counter.seconds * 1000:.2f}"
        return response
