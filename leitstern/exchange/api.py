"""API: the organisation's OKR work as one OKR-as-code document (export and import)."""

from __future__ import annotations

from ninja import Router

router = Router()
