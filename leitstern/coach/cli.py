"""``leitstern coach``: review key results from the command line.

Readable mode::

    leitstern coach "Launch the new onboarding" [--lang de] [--objective TEXT] [--json]

JSON-lines mode (one output line per input line, in order)::

    leitstern coach --jsonl [FILE or -] [--lang de|en]

Each input line is ``{"text": ..., "objective"?: ..., "lang"?: ..., "baseline"?: n,
"target"?: n}``. ``lang`` is the language the text is written in (it skips
detection) and the default language of the findings; ``--lang`` sets the
findings' language for every line. The output is the input object plus
``kind``, ``lang``, ``findings`` (``code``, ``message``) and ``suggestion``.
A bad line gets an ``error`` field (and ``raw`` when it was not JSON); a blank
line stays blank. Exit codes: 0 ok (bad lines are reported in-line),
1 failure (e.g. file not found), 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import IO, Any

from leitstern.coach.lang import LANGS
from leitstern.coach.results import KeyResultReview
from leitstern.coach.review import review_key_result

PROG = "leitstern coach"
_LABELS = {
    "en": ("Key result", "Kind", "Language", "Findings", "Suggestion", "none"),
    "de": ("Schlüsselergebnis", "Art", "Sprache", "Hinweise", "Vorschlag", "keine"),
}
_NUMBER_FIELDS = ("baseline", "target")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``leitstern coach``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Review OKR key results: kind, findings and a suggested outcome phrasing.",
    )
    parser.add_argument("inputs", nargs="*", metavar="TEXT", help="key result text, or with "
                        "--jsonl a FILE ('-' or nothing reads standard input)")  # fmt: skip
    parser.add_argument("--jsonl", action="store_true", help="read JSON lines, write JSON lines")
    parser.add_argument("--lang", choices=LANGS, help="language of the findings (reader)")
    parser.add_argument("--objective", help="the objective the key result belongs to")
    parser.add_argument("--json", action="store_true", help="print the full review as JSON")
    return parser


def _parse(argv: list[str], stdout: IO[str], stderr: IO[str]) -> argparse.Namespace | int:
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = parser.parse_args(argv)
            if args.jsonl and len(args.inputs) > 1:
                parser.error("--jsonl takes at most one FILE")
            if not args.jsonl and not " ".join(args.inputs).strip():
                parser.error("give a key result text, or use --jsonl")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    return args


def render_review(review: KeyResultReview) -> str:
    """Return a readable, multi-line review in the reader's language."""
    head, kind, language, findings, suggestion, none = _LABELS[review.reader_lang]
    lines = [
        f"{head}: {review.text}",
        f"{kind}: {review.kind} ({review.certainty}; {review.rule})",
        f"{language}: {review.lang}",
        f"{findings}:" if review.findings else f"{findings}: {none}",
        *(f"  - {f.code}: {f.message} [{f.rule}]" for f in review.findings),
    ]
    if review.suggestion:
        lines.append(f"{suggestion}: {review.suggestion}")
    return "\n".join(lines) + "\n"


def _readable(args: argparse.Namespace, stdout: IO[str]) -> int:
    review = review_key_result(
        " ".join(args.inputs), reader_lang=args.lang, objective=args.objective
    )
    if args.json:
        stdout.write(json.dumps(review.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(render_review(review))
    return 0


def _line_error(record: dict[str, Any]) -> str | None:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return 'missing or non-string "text"'
    if record.get("objective") is not None and not isinstance(record["objective"], str):
        return '"objective" must be a string'
    if record.get("lang") is not None and record["lang"] not in LANGS:
        return '"lang" must be "de" or "en"'
    for name in _NUMBER_FIELDS:
        value = record.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            return f'"{name}" must be a number'
    return None


def review_line(line: str, reader_lang: str | None) -> str:
    """Review one JSON line and return the output line (without newline)."""
    if not line.strip():
        return ""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return json.dumps({"error": f"invalid JSON: {exc.msg}", "raw": line}, ensure_ascii=False)
    if not isinstance(record, dict):
        return json.dumps(
            {"error": "a line must be a JSON object", "raw": line}, ensure_ascii=False
        )
    error = _line_error(record)
    if error:
        return json.dumps({**record, "error": error}, ensure_ascii=False)
    review = review_key_result(
        record["text"],
        lang=record.get("lang"),
        reader_lang=reader_lang,
        objective=record.get("objective"),
        baseline=record.get("baseline"),
        target=record.get("target"),
    )
    findings = [{"code": f.code, "message": f.message} for f in review.findings]
    out = {**record, "kind": review.kind, "lang": review.lang, "findings": findings}
    out["suggestion"] = review.suggestion
    return json.dumps(out, ensure_ascii=False)


def _jsonl(args: argparse.Namespace, stdin: IO[str], stdout: IO[str], stderr: IO[str]) -> int:
    source = args.inputs[0] if args.inputs else "-"
    if source == "-":
        return _stream(stdin, args.lang, stdout)
    try:
        with open(source, encoding="utf-8") as handle:
            return _stream(handle, args.lang, stdout)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        stderr.write(f"{PROG}: cannot read {source}: {reason}\n")
        return 1


def _stream(lines: IO[str], reader_lang: str | None, stdout: IO[str]) -> int:
    for line in lines:
        stdout.write(review_line(line.rstrip("\r\n"), reader_lang) + "\n")
    return 0


def main(
    argv: list[str] | None = None,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run ``leitstern coach``; return 0 (ok), 1 (failed) or 2 (usage)."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    args = _parse(list(sys.argv[1:] if argv is None else argv), stdout, stderr)
    if isinstance(args, int):
        return args
    try:
        return _jsonl(args, stdin, stdout, stderr) if args.jsonl else _readable(args, stdout)
    except Exception as exc:
        stderr.write(f"{PROG}: failed: {exc}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
