"""API tokens: creation (shown once), lookup by prefix, constant-time check of the digest.

A token looks like `ls_<prefix>_<secret>`. The prefix finds the row; only the SHA-256
digest of the whole token is stored, so a database dump does not reveal usable tokens.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.accounts.models import ApiToken

TOKEN_START = "ls_"
MAX_EXPIRY_DAYS = 3650


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    *, membership: Any, name: str, expires_days: int | None = 90
) -> tuple[ApiToken, str]:
    """Create a token for `membership`; return the row and the token text (never stored)."""
    name = name.strip() or _("API token")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise ValidationError(
            {
                "expires_days": _("A token expires after 1 to %(max)s days.")
                % {"max": MAX_EXPIRY_DAYS}
            }
        )
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 1 in 4 billion
        prefix = secrets.token_hex(4)
    text = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = (
        None if expires_days is None else timezone.now() + datetime.timedelta(days=expires_days)
    )
    token = ApiToken.objects.create(
        membership=membership,
        name=name[:80],
        prefix=prefix,
        digest=digest(text),
        expires_at=expires_at,
    )
    return token, text


def find_token(text: str) -> ApiToken | None:
    """The usable token for `text`, or None (unknown, wrong secret, expired or revoked)."""
    parts = text.strip().split("_", 2)
    if len(parts) != 3 or f"{parts[0]}_" != TOKEN_START:
        return None
    try:
        # get(), not first(): the prefix is unique, so no ORDER BY to build on every request.
        token = (
            ApiToken.objects.usable()
            .select_related("membership__organization", "membership__person")
            .get(prefix=parts[1])
        )
    except ApiToken.DoesNotExist:
        return None
    if not hmac.compare_digest(token.digest, digest(text.strip())):
        return None
    if not token.membership.person.is_active:
        return None
    _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    # One write per token and day at most: a date, never a counter of a person's activity.
    today = timezone.localdate()
    if token.last_used_on != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
        token.last_used_on = today


def revoke(token: ApiToken) -> None:
    """Revoke a token at once; it stays listed so its owner sees what happened."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
