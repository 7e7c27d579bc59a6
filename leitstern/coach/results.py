"""The frozen result types the coach returns; each has ``to_dict()`` for JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One observation: a stable ``code``, a message in the reader's language,
    the ``rule`` id that raised it and how sure the coach is ("certain",
    "likely", "possibly")."""

    code: str
    message: str
    rule: str
    certainty: str
    severity: str = "warning"

    def to_dict(self) -> dict[str, str]:
        """Return the finding as a JSON-friendly dict."""
        return {
            "code": self.code,
            "message": self.message,
            "rule": self.rule,
            "certainty": self.certainty,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class KeyResultReview:
    """The review of one key result: its kind, language, findings and suggestion."""

    text: str
    kind: str
    lang: str
    reader_lang: str
    certainty: str
    rule: str
    findings: tuple[Finding, ...] = ()
    suggestion: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding codes, in order."""
        return tuple(f.code for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Return the review as a JSON-friendly dict."""
        return {
            "text": self.text,
            "kind": self.kind,
            "lang": self.lang,
            "reader_lang": self.reader_lang,
            "certainty": self.certainty,
            "rule": self.rule,
            "findings": [f.to_dict() for f in self.findings],
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class ObjectiveReview:
    """The review of one objective and its key results."""

    title: str
    lang: str
    reader_lang: str
    findings: tuple[Finding, ...] = ()
    key_results: tuple[KeyResultReview, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> tuple[str, ...]:
        """The objective-level finding codes, in order."""
        return tuple(f.code for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Return the review as a JSON-friendly dict."""
        return {
            "title": self.title,
            "lang": self.lang,
            "reader_lang": self.reader_lang,
            "findings": [f.to_dict() for f in self.findings],
            "key_results": [kr.to_dict() for kr in self.key_results],
        }


@dataclass(frozen=True)
class CycleReview:
    """The review of one team's objectives for a cycle."""

    findings: tuple[Finding, ...] = ()
    objectives: tuple[ObjectiveReview, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> tuple[str, ...]:
        """The cycle-level finding codes, in order."""
        return tuple(f.code for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Return the review as a JSON-friendly dict."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "objectives": [o.to_dict() for o in self.objectives],
        }
