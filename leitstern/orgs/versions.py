"""Page versions: a number on each team and organisation that changes whenever something
shown about it changes. Cached page fragments are keyed by it (leitstern.web.fragments), so a
change anywhere makes every app process render afresh, with no cache to clear by hand.

The new number is written after the transaction commits: a reader who sees it started after
the change and therefore renders the new data.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable
from importlib import metadata
from typing import TYPE_CHECKING, Any

from django.core.cache import caches
from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import get_language

if TYPE_CHECKING:
    from leitstern.orgs.models import Organization, Team


def new_version() -> int:
    """A random positive 62-bit number: unlike a counter it never repeats after a restore."""
    return secrets.randbits(62) + 1


def bump_teams(team_ids: Iterable[int | None]) -> None:
    _schedule("team", team_ids)


def bump_team(team_id: int | None) -> None:
    _schedule("team", [team_id])


def bump_organizations(org_ids: Iterable[int | None]) -> None:
    _schedule("organization", org_ids)


def bump_organization(org_id: int | None) -> None:
    _schedule("organization", [org_id])


_local = threading.local()


def _pending() -> dict[str, set[int]]:
    if not hasattr(_local, "pending"):
        _local.pending = {"team": set(), "organization": set()}
    return _local.pending  # type: ignore[no-any-return]


def _schedule(kind: str, ids: Iterable[int | None]) -> None:
    new = {pk for pk in ids if pk is not None}
    if not new:
        return
    _pending()[kind].update(new)
    # One callback per bump, but the first one after a commit writes all that is pending: a
    # check-in that touches three rows costs one UPDATE. Ids left from a rolled-back
    # transaction are written at the next commit — a harmless extra re-render; so are ids
    # of a bump that failed (robust: logged, the committed change still answers).
    transaction.on_commit(_flush, robust=True)  # a failed bump must not fail the request


def _flush() -> None:
    from leitstern.orgs.models import Organization, Team

    for kind, ids in _pending().items():
        if ids:
            _set_version(Team if kind == "team" else Organization, sorted(ids))
            ids.clear()


def _set_version(model: type[Model], ids: list[int]) -> None:
    # By hand: part of every write, and compiling the ORM's UPDATE costs more than running it.
    connection = connections[router.db_for_write(model)]
    table, placeholders = (
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(["%s"] * len(ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET page_version = %s WHERE id IN ({placeholders})",
            [new_version(), *ids],
        )


# --- keys of cached fragments ----------------------------------------------------------------

# Part of every key: a new release (new markup, new translations) or a new shape of the
# cached parts never reads an old entry from a shared Redis cache. Raise FORMAT when the
# cached values change shape between releases of the same version.
FORMAT = 2  # 2: placeholders for the token and the viewer's name; cards for every team
try:
    RELEASE = f"{metadata.version('leitstern')}.{FORMAT}"
except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    RELEASE = f"dev.{FORMAT}"


def cache() -> Any:
    return caches["fragments"]


def team_key(kind: str, team: Team, organization: Organization, *extra: object) -> str:
    """The key of a fragment about `team`; `extra` adds what else the fragment depends on."""
    parts = [
        kind,
        RELEASE,
        team.pk,
        team.page_version,
        organization.page_version,
        get_language() or "",
        timezone.localdate().isoformat(),
        *extra,
    ]
    return ":".join(str(p) for p in parts)


def organization_key(kind: str, organization: Organization, *extra: object) -> str:
    """The key of a fragment about the whole organisation (its frame, cycle, number of teams)."""
    parts = [
        kind,
        RELEASE,
        organization.pk,
        organization.page_version,
        get_language() or "",
        timezone.localdate().isoformat(),
        *extra,
    ]
    return ":".join(str(p) for p in parts)
