"""The JSON API: one NinjaAPI composed from a Router per app (see each app's api.py)."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Leitstern API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
