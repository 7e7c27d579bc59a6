"""Tiny helpers to read settings from the environment (no Django import)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None


def envint_or_off(name: str, default: int) -> int | None:
    """A whole number, or None for "off"/"none"."""
    if os.environ.get(name, "").strip().lower() in {"off", "none"}:
        return None
    return envint(name, default)


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def local_secret_key(path: Path) -> str:
    """Return the secret key kept in `path`, creating it on first use.

    Only for local use: production passes SECRET_KEY in the environment.
    """
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
