"""Keyword rules of one webhook, as declared, and the categories they resolve to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from smschannel.keywords.defaults import (
    DEFAULT_FUZZY_CONFIRM,
    DEFAULT_FUZZY_WINDOW_MINUTES,
    DEFAULT_HELP,
    DEFAULT_OPT_IN,
    DEFAULT_OPT_OUT,
    STOPALL,
)
from smschannel.keywords.normalize import normalize

__all__ = ["CATEGORY_ORDER", "Category", "CategoryName", "KeywordRules", "keyword_conflicts"]

CategoryName = Literal["opt_out", "opt_in", "double_opt_in", "help", "custom"]

CATEGORY_ORDER: tuple[CategoryName, ...] = ("opt_out", "opt_in", "double_opt_in", "help", "custom")
"""The order in which categories are matched; the first category holding a keyword wins."""


@dataclass(frozen=True, slots=True)
class Category:
    """One keyword category: its keywords (case-insensitive) and the reply sent when one matches."""

    keywords: tuple[str, ...]
    reply: str | None = None
    """Text sent back when a keyword of this category matches; None sends nothing."""


@dataclass(frozen=True, slots=True)
class KeywordRules:
    """The keyword settings of a `smschannel_webhook`.

    A category left as None is not declared: opt-out, opt-in and help then use the defaults of
    SPEC.md (with no reply), double opt-in and custom have no keywords. A declared category replaces
    its defaults entirely (to keep STOP, list it).
    """

    opt_in: Category | None = None
    opt_out: Category | None = None
    double_opt_in: Category | None = None
    help: Category | None = None
    custom: Category | None = None
    fuzzy_opt_out: bool = False
    """Whether a message resembling an opt-out gets `fuzzy_auto_reply` and a pending confirmation."""
    fuzzy_auto_reply: str | None = None
    """Text sent on a fuzzy match, asking for confirmation; None sends nothing but still opens one."""
    fuzzy_confirm_keywords: tuple[str, ...] = DEFAULT_FUZZY_CONFIRM
    """Keywords that confirm a pending fuzzy opt-out."""
    fuzzy_confirm_window_minutes: int = DEFAULT_FUZZY_WINDOW_MINUTES
    """How long a fuzzy opt-out confirmation stays open, in minutes."""
    default_reply: str | None = None
    """Text sent when nothing matches; None sends nothing."""

    def categories(self) -> dict[CategoryName, Category]:
        """Return the categories with defaults applied, in matching order; undeclared empty ones left out."""
        resolved: dict[CategoryName, Category] = {
            "opt_out": self.opt_out if self.opt_out is not None else Category(DEFAULT_OPT_OUT),
            "opt_in": self.opt_in if self.opt_in is not None else Category(DEFAULT_OPT_IN),
        }
        if self.double_opt_in is not None:
            resolved["double_opt_in"] = self.double_opt_in
        resolved["help"] = self.help if self.help is not None else Category(DEFAULT_HELP)
        if self.custom is not None:
            resolved["custom"] = self.custom
        return resolved


def keyword_conflicts(rules: KeywordRules) -> list[tuple[str, CategoryName, CategoryName]]:
    """Return each keyword that sits in two categories as ``(KEYWORD, first, second)``, defaults included.

    Keywords are compared normalised (``stop`` and ``STOP!`` are one keyword), and STOPALL counts
    as an opt-out keyword when STOP is one. An empty list means the rules are consistent.
    """
    seen: dict[str, CategoryName] = {}
    conflicts: list[tuple[str, CategoryName, CategoryName]] = []
    for name, category in rules.categories().items():
        forms = {normalize(keyword) for keyword in category.keywords} - {""}
        if name == "opt_out" and "stop" in forms:
            forms.add(STOPALL.casefold())
        for form in sorted(forms):
            first = seen.setdefault(form, name)
            if first != name:
                conflicts.append((form.upper(), first, name))
    return conflicts
