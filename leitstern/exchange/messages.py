"""What an import tells people, in their language.

The parsers underneath speak English only (pydantic, the json module, PyYAML), so their
findings are turned into our own translated sentences here: which place, what is wrong,
what to do. Paths inside a document (`objectives[3].key_results[1].target`) stay as they
are — they name fields of the file format, which has English keys in every language.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext_lazy

# Raised in English by shared code (leitstern.lib.apikit.refuse_nul); listed here so the
# exchange catalogue carries its translation and value_error() finds it.
NUL = gettext_noop("must not contain the NUL character")


def place_file() -> str:
    return _("(file)")


def place_line(line: int, column: int | None = None) -> str:
    if column is None:
        return _("line %(line)s") % {"line": line}
    return _("line %(line)s, column %(column)s") % {"line": line, "column": column}


def too_large(megabytes: int) -> str:
    return _("The file is larger than %(mb)s MB; split it up (for example one file per cycle).") % {
        "mb": megabytes
    }


# ---- structure (pydantic)


def _allowed(expected: str) -> str:
    values = re.findall(r"'([^']*)'", expected)
    return ", ".join(values) if values else expected


def _length(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    if error["type"] == "string_too_short":
        if ctx.get("min_length", 1) == 1:
            return _("must not be empty; write some text here")
        n = ctx["min_length"]
        return ngettext(
            "too short: at least %(n)s character is needed",
            "too short: at least %(n)s characters are needed",
            n,
        ) % {"n": n}
    n = ctx.get("max_length", 0)
    return ngettext(
        "too long: at most %(n)s character is allowed; shorten it",
        "too long: at most %(n)s characters are allowed; shorten it",
        n,
    ) % {"n": n}


def _literal(error: dict[str, Any]) -> str:
    if tuple(error["loc"]) == ("leitstern",):
        return _("this file needs `leitstern: 1` (the format version) at the top")
    expected = _allowed(str((error.get("ctx") or {}).get("expected", "")))
    return _("“%(value)s” is not allowed here; use one of: %(allowed)s") % {
        "value": error.get("input"),
        "allowed": expected,
    }


def _pattern(error: dict[str, Any]) -> str:
    if error["loc"] and error["loc"][-1] == "slug":
        return _(
            "a short name may contain only letters a–z, digits, - and _ (no spaces or umlauts), "
            "for example “customer-care”"
        )
    return _("does not have the expected form (%(pattern)s)") % {
        "pattern": (error.get("ctx") or {}).get("pattern", "")
    }


def _bound(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error["type"]
    if kind == "greater_than_equal":
        return _("too small: use %(limit)s or more") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("too large: use %(limit)s or less") % {"limit": ctx.get("le")}
    if kind == "greater_than":
        return _("too small: use a number above %(limit)s") % {"limit": ctx.get("gt")}
    return _("too large: use a number below %(limit)s") % {"limit": ctx.get("lt")}


def _simple(kind: str) -> str | None:
    """Messages for error types that need no details, by the type's family."""
    if kind == "missing":
        return _("this field is required; add it")
    if kind == "extra_forbidden":
        return _("unknown field: check its spelling against the JSON Schema, or remove it")
    if kind.startswith("datetime") or kind == "timezone_aware":
        return _("a date and time is expected here, for example 2027-01-04T09:30:00+00:00")
    if kind.startswith("date"):
        return _("a date is expected here, written as year-month-day, for example 2027-01-04")
    if kind.startswith("int"):
        return _("a whole number is expected here, for example 5")
    if kind.startswith(("decimal", "float")):
        return _("a number is expected here, for example 12.5")
    if kind.startswith("bool"):
        return _("true or false is expected here")
    if kind.startswith("string"):
        return _("text is expected here; put it in quotes if it looks like a number or a date")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("a list is expected here (in YAML, lines starting with “- ”)")
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return _("a mapping of fields is expected here (in YAML, lines of “name: value”)")
    return None


def structure_error(error: dict[str, Any]) -> str:
    """One pydantic validation error as a sentence in the active language."""
    kind = str(error["type"])
    if kind == "value_error":
        return value_error(error.get("ctx", {}).get("error"))
    if kind == "literal_error":
        return _literal(error)
    if kind in ("string_too_short", "string_too_long"):
        return _length(error)
    if kind == "string_pattern_mismatch":
        return _pattern(error)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _bound(error)
    simple = _simple(kind)
    if simple is not None:
        return simple
    return _("not valid here (%(detail)s)") % {"detail": error.get("msg", kind)}


def value_error(exc: Any) -> str:
    # Our own validators raise already translated text; shared ones raise English msgids.
    return _(str(exc)) if exc is not None else _("not valid here")


# ---- syntax (json, PyYAML)

_JSON = {
    "Expecting value": gettext_noop("a value is missing (or there is a comma too many)"),
    "Expecting ',' delimiter": gettext_noop("a comma is missing between two entries"),
    "Expecting ':' delimiter": gettext_noop("a colon is missing after a field name"),
    "Expecting property name enclosed in double quotes": gettext_noop(
        "field names need double quotes, and the last entry has no comma after it"
    ),
    "Unterminated string starting at": gettext_noop("a text is not closed with a double quote"),
    "Invalid control character at": gettext_noop(
        "a text contains a line break or tab; write it as \\n or \\t"
    ),
    "Extra data": gettext_noop("there is more after the end of the document"),
}


def json_syntax(exc: Any) -> tuple[str, str]:
    """(place, message) for a json.JSONDecodeError."""
    hint = next((text for start, text in _JSON.items() if exc.msg.startswith(start)), None)
    detail = _(hint) if hint else exc.msg
    return place_line(exc.lineno, exc.colno), _("This is not valid JSON: %(detail)s.") % {
        "detail": detail
    }


_YAML = (
    (
        "mapping values are not allowed here",
        gettext_noop("a colon is in the wrong place; put a text that contains “: ” in quotes"),
    ),
    (
        "could not find expected ':'",
        gettext_noop("a colon is missing after a field name, or a quote is not closed"),
    ),
    (
        "found character '\\t' that cannot start any token",
        gettext_noop("a tab is used for indenting; indent with spaces only"),
    ),
    (
        "expected <block end>",
        gettext_noop("the indentation is uneven; line up fields of one level exactly"),
    ),
    (
        "did not find expected",
        gettext_noop("the indentation is uneven; line up fields of one level exactly"),
    ),
    (
        "expected ',' or",
        gettext_noop("a list in [ ] or a mapping in { } is not closed, or a comma is missing"),
    ),
    (
        "found unexpected end of stream",
        gettext_noop("the file ends inside a quoted text; close the quote"),
    ),
    (
        "could not determine a constructor for the tag",
        gettext_noop("tags such as !!python/… are not allowed in Leitstern files; remove them"),
    ),
    (
        "aliases (*name) are not allowed",
        gettext_noop(
            "aliases (*name) are not allowed in Leitstern files; write the values out in full"
        ),
    ),
)


def yaml_syntax(exc: Any) -> tuple[str, str]:
    """(place, message) for a yaml.YAMLError."""
    mark = getattr(exc, "problem_mark", None)
    place = place_line(mark.line + 1, mark.column + 1) if mark is not None else place_file()
    problem = str(getattr(exc, "problem", None) or exc)
    hint = next((text for start, text in _YAML if problem.startswith(start)), None)
    if hint is not None:
        return place, _("This is not valid YAML: %(detail)s.") % {"detail": _(hint)}
    return place, _(
        "This is not valid YAML: %(detail)s. Check the indentation, the colons and the quotes "
        "around this line."
    ) % {"detail": problem}


# ---- the import report

KINDS = {
    "settings": pgettext_lazy("import report", "settings"),
    "frame": pgettext_lazy("import report", "vision and purpose"),
    "moal": pgettext_lazy("import report", "mid-term goals (MOALs)"),
    "team": pgettext_lazy("import report", "teams"),
    "strategy_time": pgettext_lazy("import report", "strategy times"),
    "cycle": pgettext_lazy("import report", "cycles"),
    "objective": pgettext_lazy("import report", "objectives"),
    "retrospective": pgettext_lazy("import report", "retrospectives"),
    "key_result": pgettext_lazy("import report", "key results"),
    "leading_indicator": pgettext_lazy("import report", "leading indicators"),
    "checkin": pgettext_lazy("import report", "check-ins"),
    "indicator_value": pgettext_lazy("import report", "indicator values"),
    "problem": pgettext_lazy("import report", "problems"),
    "help_offer": pgettext_lazy("import report", "help offers"),
    "learning": pgettext_lazy("import report", "learnings"),
    "health_metric": pgettext_lazy("import report", "health metrics"),
    "health_reading": pgettext_lazy("import report", "health readings"),
    "alignment": pgettext_lazy("import report", "alignments"),
}


def summary_line(kind: str, created: int, updated: int, unchanged: int, *, dry_run: bool) -> str:
    label = str(KINDS.get(kind, kind))
    values = {"kind": label, "c": created, "u": updated, "n": unchanged}
    if dry_run:
        return _("%(kind)s: %(c)s would be created, %(u)s would be updated, %(n)s unchanged") % (
            values
        )
    return _("%(kind)s: %(c)s created, %(u)s updated, %(n)s unchanged") % values


# ---- export


def too_large_to_download(slug: str, cycle: str | None = None) -> str:
    """Why a download in the browser was refused, and the two ways that work."""
    if cycle is None:
        return _(
            "Everything at once is too large to download here: the web server ends every "
            "request after a time limit. Download one cycle at a time, or have "
            "`leitstern export --org %(slug)s --format yaml -o %(slug)s.yaml` run on the "
            "server, where there is no time limit."
        ) % {"slug": slug}
    return _(
        "The cycle “%(cycle)s” is too large to download here: the web server ends every "
        "request after a time limit. Have `leitstern export --org %(slug)s --cycle "
        '"%(cycle)s" --format yaml -o %(slug)s.yaml` run on the server, where there is no '
        "time limit."
    ) % {"slug": slug, "cycle": cycle}


def too_large_for_the_api(limit: int, *, cycle: bool) -> str:
    """Why the API did not answer with the export, and what works instead."""
    detail = _(
        "This export holds more than %(limit)s check-ins, more than one answer can carry "
        "before the web server's time limit."
    ) % {"limit": number_format(limit, force_grouping=True)}
    if cycle:
        return detail + " " + _("Run `leitstern export` on the server instead.")
    return (
        detail
        + " "
        + _("Ask for one cycle at a time (?cycle=…), or run `leitstern export` on the server.")
    )
