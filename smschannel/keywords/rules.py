"""Keyword rules of one webhook, as declared, and the categories they resolve to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from smschannel.keywords.defaults import DEFAULT_FUZZY_WINDOW_MINUTES, STOPALL
from smschannel.keywords.language import Locale
from smschannel.keywords.locales import DEFAULT_LOCALE, locale_for
from smschannel.keywords.normalize import clean, normalize

__all__ = ["CATEGORY_ORDER", "Category", "CategoryName", "Conflict", "KeywordRules", "keyword_conflicts", "shown"]

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

    A category left as None is not declared: opt-out, opt-in and help then use the defaults of the
    `locale` (with no reply), double opt-in and custom have no keywords. A declared category replaces
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
    fuzzy_confirm_keywords: tuple[str, ...] | None = None
    """Keywords that confirm a pending fuzzy opt-out; None uses the locale's (YES and Y in English)."""
    fuzzy_confirm_window_minutes: int = DEFAULT_FUZZY_WINDOW_MINUTES
    """How long a fuzzy opt-out confirmation stays open, in minutes."""
    default_reply: str | None = None
    """Text sent when nothing matches; None sends nothing."""
    locale: str = DEFAULT_LOCALE
    """The language people write in (`smschannel.keywords.LOCALES`): it gives the default keywords, the
    default confirm keywords and what fuzzy opt-out reads. An unknown code is a `ValueError`."""

    def __post_init__(self) -> None:
        locale_for(self.locale)

    @property
    def language(self) -> Locale:
        """The `Locale` named by `locale`."""
        return locale_for(self.locale)

    def confirm_keywords(self) -> tuple[str, ...]:
        """Return the keywords that confirm a pending fuzzy opt-out: the declared ones, else the locale's."""
        if self.fuzzy_confirm_keywords is not None:
            return self.fuzzy_confirm_keywords
        return self.language.confirm

    def categories(self) -> dict[CategoryName, Category]:
        """Return the categories with the locale's defaults applied, in matching order; undeclared empty
        ones left out."""
        language = self.language
        resolved: dict[CategoryName, Category] = {
            "opt_out": self.opt_out if self.opt_out is not None else Category(language.opt_out),
            "opt_in": self.opt_in if self.opt_in is not None else Category(language.opt_in),
        }
        if self.double_opt_in is not None:
            resolved["double_opt_in"] = self.double_opt_in
        resolved["help"] = self.help if self.help is not None else Category(language.help)
        if self.custom is not None:
            resolved["custom"] = self.custom
        return resolved


class Conflict(NamedTuple):
    """A keyword that sits in two categories."""

    keyword: str
    """The keyword as the second category spells it, upper case (``ARRÊT``)."""
    first: CategoryName
    second: CategoryName
    first_spelling: str
    """The keyword as the first category spells it (``ARRET``): the same keyword once accents and case
    are folded."""


def shown(keyword: str) -> str:
    """Return how a keyword is reported: trimmed, surrounding punctuation dropped, upper case, accents
    kept (``Arrêt!`` -> ``ARRÊT``)."""
    return clean(keyword).upper()


def keyword_conflicts(rules: KeywordRules) -> list[Conflict]:
    """Return each keyword that sits in two categories, the locale's defaults included.

    Keywords are compared normalised (``stop``, ``STOP!`` and ``Stöp`` are one keyword), and STOPALL
    counts as an opt-out keyword when STOP is one. An empty list means the rules are consistent.
    """
    seen: dict[str, tuple[CategoryName, str]] = {}
    conflicts: list[Conflict] = []
    for name, category in rules.categories().items():
        forms = {normalize(keyword): shown(keyword) for keyword in category.keywords}
        forms.pop("", None)
        if name == "opt_out" and "stop" in forms:
            forms.setdefault(STOPALL.casefold(), STOPALL)
        for form in sorted(forms):
            first, spelling = seen.setdefault(form, (name, forms[form]))
            if first != name:
                conflicts.append(Conflict(forms[form], first, name, spelling))
    return conflicts
