"""Evaluate the coach on the labelled development set.

``python -m leitstern.coach.evaluate`` prints precision, recall and F1 per
class, accuracy, outcome-vs-not accuracy, language detection accuracy and the
confusion matrix, for the whole set and for each split ("dev" and the
held-out parts, lines marked ``"split": "heldout"`` or ``"heldout2"``), followed by the
blind sets (``eval/coach_blind*.jsonl``, see docs/coach.md "Blind evaluation").
``--file PATH`` reports on one labelled file only. ``--write docs/coach.md`` rewrites the
report between the markers in that file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leitstern.coach.kinds import KINDS, OUTCOME
from leitstern.coach.review import review_key_result

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT / "eval" / "coach_devset.jsonl"
SPLITS = (
    ("dev", "Development part"),
    ("heldout", "Held-out part A (written after the rules; later used to fix rules)"),
    ("heldout2", "Held-out part B (written after the last rule change; never used for tuning)"),
)
BLIND_SETS = (
    (ROOT / "eval" / "coach_blind.jsonl",
     "Blind set 1 (written before reading the coach; its misses were then used to fix rules)"),
    (ROOT / "eval" / "coach_blind2.jsonl",
     "Blind set 2 (written after the last rule change; never used for tuning)"),
)  # fmt: skip
START = "<!-- coach-eval:start -->"
END = "<!-- coach-eval:end -->"


@dataclass(frozen=True)
class Example:
    """One labelled key result."""

    text: str
    lang: str
    label: str
    objective: str
    split: str


@dataclass(frozen=True)
class Scores:
    """Evaluation figures for one set of examples."""

    n: int
    accuracy: float
    outcome_accuracy: float
    lang_accuracy: float
    per_class: dict[str, tuple[float, float, float, int]]
    confusion: dict[tuple[str, str], int]


def load(path: Path = DEVSET) -> list[Example]:
    """Read the labelled set (one JSON object per line)."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            examples.append(
                Example(rec["text"], rec["lang"], rec["label"], rec.get("objective", ""),
                        rec.get("split", "dev"))
            )  # fmt: skip
    return examples


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def score(examples: Sequence[Example]) -> Scores:
    """Review every example and compute the figures."""
    confusion: Counter[tuple[str, str]] = Counter()
    lang_ok = 0
    for ex in examples:
        review = review_key_result(ex.text, objective=ex.objective or None)
        confusion[(ex.label, review.kind)] += 1
        lang_ok += review.lang == ex.lang
    n = len(examples)
    correct = sum(v for (gold, pred), v in confusion.items() if gold == pred)
    binary = sum(
        v for (gold, pred), v in confusion.items() if (gold == OUTCOME) == (pred == OUTCOME)
    )
    per_class = {kind: _class_scores(confusion, kind) for kind in KINDS}
    return Scores(n, _ratio(correct, n), _ratio(binary, n), _ratio(lang_ok, n), per_class,
                  dict(confusion))  # fmt: skip


def _class_scores(
    confusion: Counter[tuple[str, str]], kind: str
) -> tuple[float, float, float, int]:
    tp = confusion[(kind, kind)]
    predicted = sum(v for (_, pred), v in confusion.items() if pred == kind)
    support = sum(v for (gold, _), v in confusion.items() if gold == kind)
    precision, recall = _ratio(tp, predicted), _ratio(tp, support)
    f1 = _ratio(int(2 * precision * recall * 10**6), int((precision + recall) * 10**6))
    return precision, recall, f1, support


def format_scores(title: str, s: Scores) -> str:
    """Return a Markdown section with the figures of one set."""
    lines = [
        f"### {title} (n = {s.n})",
        "",
        f"- five-class accuracy: **{s.accuracy:.3f}**",
        f"- outcome vs. not outcome accuracy: **{s.outcome_accuracy:.3f}**",
        f"- language detection accuracy: {s.lang_accuracy:.3f}",
        "",
        "| class | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
        *(
            f"| {k} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |"
            for k, (p, r, f, n) in s.per_class.items()
        ),
        "",
        "Confusion matrix (rows: label, columns: coach):",
        "",
        "| label \\ coach | " + " | ".join(KINDS) + " |",
        "|---" * (len(KINDS) + 1) + "|",
        *(
            f"| {gold} | " + " | ".join(str(s.confusion.get((gold, p), 0)) for p in KINDS) + " |"
            for gold in KINDS
        ),
        "",
    ]
    return "\n".join(lines)


def report(examples: Sequence[Example]) -> str:
    """Return the full Markdown report: all examples, the dev part, the held-out part."""
    parts = [format_scores("All examples", score(examples))]
    for split, title in SPLITS:
        chosen = [e for e in examples if e.split == split]
        if chosen:
            parts.append(format_scores(title, score(chosen)))
    return "\n".join(parts)


def blind_report() -> str:
    """Return the report on the blind sets that exist (empty when there are none)."""
    return "\n".join(
        format_scores(title, score(load(path))) for path, title in BLIND_SETS if path.exists()
    )


def write_report(doc: Path, text: str) -> None:
    """Replace the text between the report markers in ``doc`` (append them if missing)."""
    old = doc.read_text(encoding="utf-8") if doc.exists() else ""
    block = f"{START}\n{text}\n{END}"
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    else:
        new = f"{old.rstrip()}\n\n{block}\n" if old else f"{block}\n"
    doc.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation report; with ``--write FILE`` also update that file."""
    parser = argparse.ArgumentParser(prog="python -m leitstern.coach.evaluate")
    parser.add_argument("--devset", type=Path, default=DEVSET, help="labelled JSON lines")
    parser.add_argument("--file", type=Path, help="report on this labelled file only")
    parser.add_argument("--write", type=Path, help="Markdown file whose report section to rewrite")
    args = parser.parse_args(argv)
    path = args.file or args.devset
    try:
        examples = load(path)
        if args.file:
            text = format_scores(str(path), score(examples))
        else:
            text = report(examples)
            blind = blind_report()
            text = f"{text}\n{blind}" if blind else text
    except (OSError, ValueError, KeyError) as exc:
        sys.stderr.write(f"cannot read the labelled set {path}: {exc}\n")
        return 1
    sys.stdout.write(text + "\n")
    if args.write:
        write_report(args.write, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
