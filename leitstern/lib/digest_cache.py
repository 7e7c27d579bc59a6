"""Rendered cards cached under a digest of what they show.

A card's key is a hash of every value it shows (plus what else shapes it: release, language,
settings), so any change to those values is a new key in every app process — no signal
receiver to forget. Used where many cards share a page and each is cheap to describe but
costly to render: the problems board and the learning library.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from django.core.cache import caches


def digest_key(kind: str, content: object) -> str:
    """The key of a card of `kind` showing `content` (a repr()-able value)."""
    return f"{kind}:" + hashlib.blake2b(repr(content).encode(), digest_size=20).hexdigest()


def cached_cards(kind: str, contents: Sequence[object], render: Callable[[int], str]) -> list[str]:
    """The cards for `contents` in order: from the fragment cache, and `render(i)` for the
    ones it lacks (stored for the next request)."""
    keys = [digest_key(kind, content) for content in contents]
    cache = caches["fragments"]
    found = cache.get_many(keys)
    rendered = {key: render(i) for i, key in enumerate(keys) if key not in found}
    if rendered:
        cache.set_many(rendered)
        found.update(rendered)
    return [found[key] for key in keys]
