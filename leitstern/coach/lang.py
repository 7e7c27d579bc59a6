"""Language detection for German and English without any download.

The score counts function words, umlauts, German number style ("99,9 %") and
hits in the coach's own German and English word lists. Ties go to the hint
(if any) and then to English.
"""

from __future__ import annotations

import re

from leitstern.coach import wordlists as wl
from leitstern.coach import wordlists_context as wc
from leitstern.coach.rules import compile_words
from leitstern.coach.wordlists import words

LANGS = ("de", "en")

_DE_STOP = frozenset(
    words(
        """
        der, die, das, und, ist, sind, nicht, mit, von, auf, für, zu, den, dem, des, ein, eine,
        einen, einer, eines, im, bei, bis, pro, je, alle, neu, neue, neues, neuer, neuen, wird,
        werden, wir, unsere, unser, unseren, durch, damit, aus, nach, vom, zum, zur, als, oder,
        sowie, ihre, sich, jede, jeden, jeder, kein, keine, mehr, weniger, noch, nur, auch,
        dass, wie, wenn, mindestens, höchstens, über, unter, ab, innerhalb, seit, statt,
        gegenüber, aller, unserer, jedem, diese, dieser, dieses, zwischen, beim
        """
    )
)
_EN_STOP = frozenset(
    words(
        """
        the, and, of, to, for, with, from, by, is, are, our, we, all, new, at, least, per, on,
        than, more, less, each, every, their, they, that, which, who, be, been, this, into,
        within, under, over, up, down, out, its, it, or, not, no, only, also, when, using,
        most, fewer, through, across, via, after, before, until, without, about, these,
        those, your, you, has, have
        """
    )
)
_WORD = re.compile(r"[a-zäöüß]+", re.IGNORECASE)
_UMLAUT = re.compile(r"[äöüß]", re.IGNORECASE)
_DE_NUMBER = re.compile(r"\d,\d{1,2}\b|\d\s%|\d\s?€|\bEUR\b|\bMio\.?|\bTsd\.?|\bz\.\s?B\.")
_DE_SUFFIX = re.compile(
    r"\w{3,}(?:ung|ungen|keit|heit|schaft|lich|ieren|iert|quote|zahl|zahlen)\b", re.IGNORECASE
)
_DE_FINAL_VERB = re.compile(r"\b[a-zäöü]{3,}(?:ern|eln|en)\s*[.!]?\s*$")
_DE_COMPOUND = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]{14,}\b")
_EN_SUFFIX = re.compile(r"\w{3,}(?:ing|ed|ly|ness|ity|ship)\b", re.IGNORECASE)


def _lang_pattern(lang: str) -> re.Pattern[str]:
    lists = (
        wl.CHANGE, wl.MAINTAIN, wl.OUTPUT_VERBS, wl.ACTIVITY_VERBS, wc.STAKEHOLDERS,
        wc.OUTCOME_METRICS, wc.VAGUE, wc.THRESHOLD, wc.RECURRING,
    )  # fmt: skip
    return compile_words(sorted({e for words in lists for e in words[lang]}))


_LIST_HITS = {lang: _lang_pattern(lang) for lang in LANGS}


def _own_hits(text: str, lang: str) -> int:
    """Count words only this language's lists know ("steigern", not "NPS")."""
    other = _LIST_HITS["en" if lang == "de" else "de"]
    return sum(1 for m in _LIST_HITS[lang].finditer(text) if not other.fullmatch(m.group(0)))


def language_scores(text: str) -> dict[str, int]:
    """Return the German and English evidence found in ``text``."""
    words = [w.lower() for w in _WORD.findall(text)]
    de = 2 * sum(w in _DE_STOP for w in words) + 3 * min(len(_UMLAUT.findall(text)), 3)
    en = 2 * sum(w in _EN_STOP for w in words)
    de += 2 * _own_hits(text, "de") + len(_DE_NUMBER.findall(text))
    en += 2 * _own_hits(text, "en")
    de += len(_DE_SUFFIX.findall(text)) + 2 * bool(_DE_FINAL_VERB.search(text))
    de += len(_DE_COMPOUND.findall(text))
    en += len(_EN_SUFFIX.findall(text))
    return {"de": de, "en": en}


def detect_language(text: str, hint: str | None = None) -> str:
    """Return "de" or "en" for ``text``; ``hint`` decides a tie (default English)."""
    scores = language_scores(text)
    if scores["de"] > scores["en"]:
        return "de"
    if scores["en"] > scores["de"]:
        return "en"
    return hint if hint in LANGS else "en"
