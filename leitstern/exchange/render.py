"""Write the OKR-as-code document as JSON or YAML, piece by piece.

The pieces joined are exactly the bytes of `json.dumps(doc, ensure_ascii=False, indent=2)`
and `yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)` — the format files
under version control have always had — but a `Streamed` list (the objectives) is written
one item at a time, so neither the document nor the text is ever whole in memory.

Both libraries spend most of their time on generic machinery (json's indenting encoder is
pure Python; PyYAML builds a node and resolves a tag for every value), which cost more than
reading the rows. The writers here do the common cases directly and hand everything else
to the libraries; `tests/test_render.py` compares them on generated documents. (libyaml's
emitter, PyYAML's fast one, is no way out: it writes emoji, long keys and folded quoted
lines differently, so files would change.)
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import yaml

from leitstern.exchange.rows import Streamed

Parts = Iterable[tuple[str, Any]]
PIECE = 1 << 16  # characters handed on at a time: fewer, larger writes to the socket or file

# ---- JSON

# json.dumps(ensure_ascii=False) escapes strings with this (C) function too.
_string = json.encoder.encode_basestring


def _json_float(value: float) -> str:
    # NaN and infinity cannot come from the database; json spells them its own way.
    return float.__repr__(value) if math.isfinite(value) else json.dumps(value)


_JSON_SCALARS: dict[type, Callable[[Any], str]] = {
    str: _string,
    int: int.__repr__,
    float: _json_float,
    bool: lambda v: "true" if v else "false",
    type(None): lambda v: "null",
}


def _json(value: Any, newline: str) -> str:
    """`value` as json.dumps(value, ensure_ascii=False, indent=2) writes it at this depth."""
    scalar = _JSON_SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    kind = type(value)
    inner = newline + "  "
    if kind is dict:
        if not value:
            return "{}"
        try:
            items = [
                _string(k) + ": " + (s(v) if (s := _JSON_SCALARS.get(type(v))) else _json(v, inner))
                for k, v in value.items()
            ]
        except TypeError:  # a key that is not a string: json.dumps converts it
            return _json_by_library(value, newline)
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if kind is list:
        if not value:
            return "[]"
        items = [s(v) if (s := _JSON_SCALARS.get(type(v))) else _json(v, inner) for v in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    return _json_by_library(value, newline)


def _json_by_library(value: Any, newline: str) -> str:
    # Subclasses of str and int, tuples, other keys: json itself. JSON text has no raw line
    # breaks, so indenting every line by the depth is exact.
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)


def json_pieces(parts: Parts) -> Iterator[str]:
    """The document's JSON text in pieces."""
    return _joined(_json_pieces(parts))


def _json_pieces(parts: Parts) -> Iterator[str]:
    separator = "{\n  "
    for key, value in parts:
        head = separator + _string(key) + ": "
        separator = ",\n  "
        if isinstance(value, Streamed):
            first = True
            for item in value:
                yield (head + "[" if first else ",") + "\n    " + _json(item, "\n    ")
                first = False
            yield head + "[]" if first else "\n  ]"
        else:
            yield head + _json(value, "\n  ")
    yield "\n}\n" if separator != "{\n  " else "{}\n"


def compact_json_pieces(parts: Parts) -> Iterator[str]:
    """The document as json.dumps(doc) writes it (the API's answer), in pieces."""
    return _joined(_compact_json_pieces(parts))


def _compact_json_pieces(parts: Parts) -> Iterator[str]:
    separator = "{"
    for key, value in parts:
        head = separator + json.dumps(key) + ": "
        separator = ", "
        if isinstance(value, Streamed):
            yield head + "["
            for n, item in enumerate(value):
                yield (", " if n else "") + json.dumps(item)
            yield "]"
        else:
            yield head + json.dumps(value)
    yield "}" if separator == ", " else "{}"


# ---- YAML

WIDTH = 100  # PyYAML breaks a text at the first single space past this column
_PRINTABLE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe"
_ONE_LINE = re.compile(f"[{_PRINTABLE}]+")  # what PyYAML writes unescaped, without line breaks
# Where PyYAML reads an indicator in a one-line text (its analyze_scalar, block context):
# such a text, or one with a space at either end, is quoted instead of written plain.
_INDICATOR = re.compile(r"^(?:---|\.\.\.)|^[#,\[\]{}&*!|>'\"%@`]|^[-?:](?: |$)|.:(?: |$)| #|^ | $")
_SPACES = re.compile("( +)")


def _dump(value: Any) -> str:
    return yaml.dump(
        value, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=WIDTH
    )


def _typed(text: str) -> bool:
    """Would a reader take this plain text for a number, date, boolean or null?"""
    resolvers = yaml.SafeDumper.yaml_implicit_resolvers
    candidates = resolvers.get(text[0], []) + resolvers.get(None, [])  # type: ignore[call-overload]
    return any(pattern.match(text) for _tag, pattern in candidates)


def _style(text: str) -> str | None:
    """How PyYAML writes a one-line text: plain (""), single-quoted ("'"), or None: ask it."""
    known = _styles.get(text, _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    if not text:
        style: str | None = "'"  # '' — empty, it would read as null
    elif _ONE_LINE.fullmatch(text) is None:
        style = None  # line breaks, control characters: PyYAML escapes and folds them itself
    else:
        style = "'" if _INDICATOR.search(text) or _typed(text) else ""
    if len(text) <= SHORT:
        _remember(_styles, text, style)
    return style


def _scalar(value: Any, column: int, indent: int) -> str | None:
    """A scalar written from `column` on, lines broken as PyYAML does; None: ask PyYAML.

    `indent` is where its continued lines start (PyYAML's indent inside the value).
    """
    kind = type(value)
    if kind is str:
        style = _style(value)
        if style is None:
            return None
        if column + len(value) + 2 * len(style) <= WIDTH and "'" not in value:
            return style + value + style
        if not style:
            return _fold(value, column, indent, quoted=False)
        return "'" + _fold(value.replace("'", "''"), column + 1, indent, quoted=True) + "'"
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    return None


def _quoted(text: str, style: str) -> str:
    return "'" + text.replace("'", "''") + "'" if style else text


def _fold(body: str, column: int, indent: int, *, quoted: bool) -> str:
    """PyYAML's write_plain / write_single_quoted: a lone space after a word that ends past
    the width becomes a line break; runs of spaces, and a quoted text's first and last
    space, never do."""
    parts = _SPACES.split(body)  # word, spaces, word, …, word (words may be empty)
    last = len(parts) - 2
    out: list[str] = []
    for n, part in enumerate(parts):
        if (
            n % 2
            and len(part) == 1
            and column > WIDTH
            and not (quoted and ((n == 1 and not parts[0]) or (n == last and not parts[-1])))
        ):
            out.append("\n" + " " * indent)
            column = indent
        else:
            out.append(part)
            column += len(part)
    return "".join(out)


def _name(key: Any) -> str | None:
    """A mapping key as PyYAML writes a simple key (never broken), or None: ask PyYAML."""
    if type(key) is not str:
        return None
    known = _names.get(key, _UNKNOWN)
    if known is _UNKNOWN:
        # The empty key, and keys that with their tag (`!!str`) reach 128 characters, are
        # complex keys (`? key`).
        style = _style(key) if 0 < len(key) < 128 - len("!!str") else None
        known = None if style is None else _quoted(key, style)
        _remember(_names, key, known)
    return known  # type: ignore[no-any-return]


def _entry(key: Any, value: Any, indent: int) -> str:
    """`key: value` of a block mapping at this indent, without the indent of its first line."""
    name = _name(key)
    if name is not None:
        kind = type(value)
        if kind is dict:
            if not value:
                return name + ": {}\n"
            out = [name + ":\n"]
            _mapping(value, indent + 2, out, inline=False)
            return "".join(out)
        if kind is list:
            if not value:
                return name + ": []\n"
            out = [name + ":\n"]
            _sequence(value, indent, out)  # PyYAML does not indent a sequence in a mapping
            return "".join(out)
        text = _scalar(value, indent + len(name) + 2, indent + 2)
        if text is not None:
            return name + ": " + text + "\n"
    return _entry_by_dumper(key, value, indent)


def _mapping(mapping: dict[Any, Any], indent: int, out: list[str], *, inline: bool) -> None:
    pad = " " * indent
    room = WIDTH - indent - 2
    for key, value in mapping.items():
        prefix = "" if inline else pad
        inline = False
        # The common case inline (a remembered key, a short one-line value): most of the
        # document is check-ins, eight such entries each.
        name = _names.get(key) if type(key) is str else None
        kind = type(value)
        if kind is str:
            text = _texts.get(value)
        else:
            simple = _SIMPLE.get(kind)
            text = simple(value) if simple is not None else None
        if name is not None and text is not None and len(name) + len(text) <= room:
            out.append(prefix + name + ": " + text + "\n")
            continue
        if kind is str and name is not None and len(value) <= SHORT:
            text = _scalar(value, 0, 0)
            if text is not None and "\n" not in text:
                _remember(_texts, value, text)
        out.append(prefix + _entry(key, value, indent))


def _float(value: float) -> str | None:
    text = float.__repr__(value)
    return text if math.isfinite(value) and "e" not in text else None  # 1e+16, nan: PyYAML's


_SIMPLE: dict[type, Callable[[Any], str | None]] = {
    int: int.__repr__,
    float: _float,
    bool: lambda v: "true" if v else "false",
    type(None): lambda v: "null",
}


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if type(item) is dict and item:
            out.append(pad + "- ")
            _mapping(item, indent + 2, out, inline=True)
            continue
        text = _scalar(item, indent + 2, indent + 2)
        out.append(pad + "- " + text + "\n" if text is not None else _item_by_dumper(item, indent))


def _nested(value: dict[Any, Any], indent: int) -> tuple[str, int]:
    """PyYAML's text of `value` placed at this indent, and where `value` starts in it."""
    for _ in range(indent // 2):
        value = {"a": value}
    return _dump(value), sum(2 * level + 3 for level in range(indent // 2))  # "  " * n + "a:\n"


def _entry_by_dumper(key: Any, value: Any, indent: int) -> str:
    # Text with line breaks or control characters, complex keys, other types: PyYAML itself,
    # with the entry at the same indent as in the whole document, so it breaks lines the same.
    text, start = _nested({key: value}, indent)
    return text[start + indent :]


def _item_by_dumper(item: Any, indent: int) -> str:
    text, start = _nested({"a": [item]}, indent)
    return text[start + indent + len("a:\n") :]


# Short texts repeat (weeks, states, units, team slugs, the format's keys): how they are
# written is remembered, up to a bound, instead of worked out for every occurrence.
SHORT = 64
_UNKNOWN: Any = object()
_styles: dict[str, str | None] = {}
_texts: dict[str, str] = {}  # short texts that fit on their line as they are
_names: dict[str, str | None] = {}


def _remember(memory: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(memory) >= 20_000:
        memory.clear()
    memory[key] = value
    return value


def yaml_pieces(parts: Parts) -> Iterator[str]:
    """The document's YAML text in pieces.

    Each top-level entry of a block mapping is written the same alone as inside the whole,
    and so is each item of a sequence under it, so the pieces can be written one by one.
    """
    return _joined(_yaml_pieces(parts))


def _yaml_pieces(parts: Parts) -> Iterator[str]:
    empty = True
    for key, value in parts:
        empty = False
        if isinstance(value, Streamed):
            first = True
            for item in value:  # the document's keys are plain words: `objectives:`
                out = [key + ":\n"] if first else []
                _sequence([item], 0, out)
                yield "".join(out)
                first = False
            if first:
                yield _entry(key, [], 0)
        else:
            yield _entry(key, value, 0)
    if empty:
        yield "{}\n"


def _joined(pieces: Iterator[str]) -> Iterator[str]:
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= PIECE:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)
