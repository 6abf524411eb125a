"""The keyword engine and fuzzy opt-out (pure functions, no I/O), and SMS segment counting.

Build an `Engine` once from a webhook's `KeywordRules`, then call `Engine.decide` per inbound message
with the stored `Pending` state and the current time.
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
from smschannel.keywords.normalize import normalize
from smschannel.keywords.rules import CATEGORY_ORDER, Category, CategoryName, KeywordRules, keyword_conflicts
from smschannel.keywords.segments import MAX_REPLY_SEGMENTS, SegmentInfo, encode_info

__all__ = [
    "CATEGORY_ORDER",
    "DEFAULT_FUZZY_CONFIRM",
    "DEFAULT_FUZZY_WINDOW_MINUTES",
    "DEFAULT_HELP",
    "DEFAULT_OPT_IN",
    "DEFAULT_OPT_OUT",
    "MAX_REPLY_SEGMENTS",
    "Action",
    "Category",
    "CategoryName",
    "Decision",
    "Engine",
    "FuzzyMatch",
    "KeywordRules",
    "OptOutMatcher",
    "Pending",
    "SegmentInfo",
    "encode_info",
    "keyword_conflicts",
    "normalize",
]
