"""API tokens: creation (shown once), lookup by prefix, constant-time check of the digest.

A token looks like `ls_<prefix>_<secret>`. The prefix finds the row; only the SHA-256
digest of the whole token is stored, so a database dump does not reveal usable tokens.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import secrets
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.accounts.models import ApiToken
from leitstern.lib.sqlrows import PreparedRows

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
    token = _with_membership(parts[1])
    # Expiry and revocation are checked on the row (is_usable, the rule of usable()): the
    # prefix is unique, so it finds the one row either way.
    if token is None or not token.is_usable:
        return None
    if not hmac.compare_digest(token.digest, digest(text.strip())):
        return None
    if not token.membership.person.is_active:
        return None
    _touch(token)
    return token


# The token with its membership, organisation and person: what select_related() would read,
# in one prepared query, because every API request makes this lookup.
_PATHS = ("", "membership__", "membership__organization__", "membership__person__")


@functools.cache
def _token_lookup() -> tuple[PreparedRows, list[tuple[type[Model], list[str]]]]:
    chain: list[type[Model]] = [ApiToken]
    for path in _PATHS[1:]:
        model = chain[0]
        for name in path.rstrip("_").split("__"):
            model = cast("type[Model]", model._meta.get_field(name).related_model)
        chain.append(model)
    layout = [(model, [f.attname for f in model._meta.concrete_fields]) for model in chain]
    columns = [
        path + name for path, (_m, names) in zip(_PATHS, layout, strict=True) for name in names
    ]
    query = PreparedRows(
        lambda prefix: ApiToken.objects.filter(prefix=prefix).order_by().values_list(*columns),
        fields=(ApiToken._meta.get_field("prefix"),),
        markers=("\x1fprefix",),
    )
    return query, layout


def _with_membership(prefix: str) -> ApiToken | None:
    query, layout = _token_lookup()
    rows = query.rows(prefix)
    if not rows:
        return None
    objects: list[Any] = []
    start = 0
    for model, names in layout:
        objects.append(model.from_db(DEFAULT_DB_ALIAS, names, rows[0][start : start + len(names)]))
        start += len(names)
    token, membership, organization, person = objects
    membership.organization, membership.person = organization, person
    token.membership = membership
    return cast("ApiToken", token)


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
