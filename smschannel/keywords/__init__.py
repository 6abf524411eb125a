"""The keyword engine and fuzzy opt-out (pure functions, no I/O), per locale, and SMS segment counting.

Build an `Engine` once from a webhook's `KeywordRules`, then call `Engine.decide` per inbound message
with the stored `Pending` state and the current time. `KeywordRules.locale` names one of `LOCALES`
(``en``, ``fr``, ``es``, ``de``, ``pt``, ``it``): its default keywords, confirm keywords and the phrases
fuzzy opt-out reads.
"""

from __future__ import annotations

from smschannel.keywords.defaults import (
    DEFAULT_FUZZY_CONFIRM,
    DEFAULT_FUZZY_WINDOW_MINUTES,
    DEFAULT_HELP,
    DEFAULT_OPT_IN,
    DEFAULT_OPT_OUT,
)
from smschannel.keywords.engine import Action, Decision, Engine, Pending
from smschannel.keywords.fuzzy import FuzzyMatch, OptOutMatcher
from smschannel.keywords.language import Locale
from smschannel.keywords.locales import DEFAULT_LOCALE, LOCALES, locale_for
from smschannel.keywords.normalize import clean, normalize
from smschannel.keywords.rules import (
    CATEGORY_ORDER,
    Category,
    CategoryName,
    Conflict,
    KeywordRules,
    keyword_conflicts,
    shown,
)
from smschannel.keywords.segments import MAX_REPLY_SEGMENTS, SegmentInfo, encode_info

__all__ = [
    "CATEGORY_ORDER",
    "DEFAULT_FUZZY_CONFIRM",
    "DEFAULT_FUZZY_WINDOW_MINUTES",
    "DEFAULT_HELP",
    "DEFAULT_LOCALE",
    "DEFAULT_OPT_IN",
    "DEFAULT_OPT_OUT",
    "LOCALES",
    "MAX_REPLY_SEGMENTS",
    "Action",
    "Category",
    "CategoryName",
    "Conflict",
    "Decision",
    "Engine",
    "FuzzyMatch",
    "KeywordRules",
    "Locale",
    "OptOutMatcher",
    "Pending",
    "SegmentInfo",
    "clean",
    "encode_info",
    "keyword_conflicts",
    "locale_for",
    "normalize",
    "shown",
]
