"""The pulse questionnaire: our own wording of the themes of team psychological safety.

The themes follow the construct described by Edmondson (1999); the items are written by us
and are not the published scale. Items must not change for rounds that already have answers:
add new codes instead of rewording old ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class Theme:
    code: str
    label: _StrPromise


@dataclass(frozen=True)
class Item:
    code: str
    theme: str
    text: _StrPromise
    # Negatively worded items are scored 6 - answer, so 5 always means "safer".
    reverse: bool = False

    def score(self, value: int) -> int:
        return 6 - value if self.reverse else value


THEMES = (
    Theme("speaking_up", _("Speaking up about problems")),
    Theme("asking_help", _("Asking for help")),
    Theme("mistakes", _("Admitting mistakes")),
    Theme("risks", _("Taking risks")),
    Theme("valued", _("Being valued")),
)

ITEMS = (
    Item(
        "speak_open",
        "speaking_up",
        _("When something is going wrong, I can say so openly in this team."),
    ),
    Item(
        "speak_silent",
        "speaking_up",
        _("In this team, I tend to keep concerns to myself rather than raise them."),
        reverse=True,
    ),
    Item("help_easy", "asking_help", _("I find it easy to ask people in this team for support.")),
    Item(
        "mistake_admit",
        "mistakes",
        _("If I get something wrong here, I can admit it without it being held against me later."),
    ),
    Item(
        "risk_try",
        "risks",
        _("I can try out an untested idea in this team, even if it might not work."),
    ),
    Item("valued_skills", "valued", _("What I am good at gets noticed and put to use here.")),
    Item(
        "valued_different",
        "valued",
        _("People here are respected even when they see things differently from the rest."),
    ),
)

SCALE = (
    (1, _("not true at all")),
    (2, _("rarely true")),
    (3, _("partly true")),
    (4, _("mostly true")),
    (5, _("completely true")),
)

ITEMS_BY_CODE = {item.code: item for item in ITEMS}
