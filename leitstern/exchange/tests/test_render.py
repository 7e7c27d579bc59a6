"""The streaming writers give the bytes of json.dumps and of PyYAML's pure-Python safe dumper.

Generated documents mix what the fast paths take (short plain texts, numbers, nesting)
with what they leave to the libraries: long texts that fold, line breaks, quotes, leading
and trailing spaces, indicator characters, texts that read as numbers, dates or booleans,
control characters and long keys.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from leitstern.exchange.export import to_json, to_yaml
from leitstern.exchange.render import json_pieces, yaml_pieces
from leitstern.exchange.rows import Streamed

TRICKY = [
    "",
    " ",
    "yes",
    "No",
    "off",
    "null",
    "~",
    "12",
    "-3",
    "+1",
    "1_000",
    "0x1F",
    ".5",
    "1e3",
    "1.5e+3",
    "2027-01-04",
    "2027-01-04 10:00:00",
    "12:30",
    "<<",
    "=",
    "!",
    "&a",
    "*a",
    "%",
    "@team",
    "`x`",
    "- item",
    "-5% churn",
    "? why",
    ":colon",
    "a: b",
    "a:b",
    "ends with:",
    "a #b",
    "a#b",
    "#tag",
    "---",
    "...",
    "'quoted'",
    'say "hi"',
    "it's",
    "[x]",
    "{x}",
    "a, b",
    "tab\there",
    "line\nbreak",
    "trailing\n",
    "\n",
    "cr\rlf",
    "nel\x85x",
    "ls\u2028x",
    "bom\ufeffx",
    "bell\x07",
    "del\x7f",
    "Grüße, 😀",
    "Schlüsselergebnis",
    " leading",
    "trailing ",
    "two  spaces",
    "null ",
]
words = st.sampled_from(["alpha", "Beta", "gamma-3", "über", "x", "12", "a:b", "no"])
sentences = st.lists(words, min_size=8, max_size=40).map(" ".join)
texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
    sentences,
    st.lists(st.sampled_from(TRICKY), min_size=2, max_size=6).map(" ".join),
)
scalars = st.one_of(
    texts,
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.decimals(min_value=-(10**11), max_value=10**11, places=4, allow_nan=False).map(float),
)
keys = st.one_of(
    st.sampled_from(["key", "week", "note", "checked_on", "indicator_values", "help_offers"]),
    texts,
    st.text(min_size=120, max_size=140),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=30,
)
documents = st.dictionaries(st.sampled_from(["leitstern", "frame", "teams", "notes"]), values)
items = st.lists(st.dictionaries(keys, values, min_size=1, max_size=6), max_size=4)


def _reference_yaml(doc: Any) -> str:
    return yaml.dump(doc, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=100)


@settings(max_examples=400, deadline=None)
@given(doc=documents)
def test_json_is_json_dumps(doc: dict[str, Any]) -> None:
    assert to_json(doc) == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=400, deadline=None)
@given(doc=documents)
def test_yaml_is_pyyamls_safe_dump(doc: dict[str, Any]) -> None:
    assert to_yaml(doc) == _reference_yaml(doc)


@settings(max_examples=200, deadline=None)
@given(doc=documents, objectives=items)
def test_a_streamed_list_is_written_as_the_whole_list(
    doc: dict[str, Any], objectives: list[dict[str, Any]]
) -> None:
    whole = {**doc, "objectives": objectives, "health_metrics": []}
    parts = [*doc.items(), ("objectives", Streamed(iter(objectives))), ("health_metrics", [])]
    assert "".join(json_pieces(parts)) == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    parts[-2] = ("objectives", Streamed(iter(objectives)))
    assert "".join(yaml_pieces(parts)) == _reference_yaml(whole)
