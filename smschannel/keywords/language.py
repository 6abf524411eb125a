"""What the keyword engine knows about one language: default keywords and the words fuzzy opt-out reads.

Each locale of `smschannel.keywords.locales` is one `Locale`. Every word in it is written in the
form messages are matched in (`normalize`: lower case, no accents), so ``arrêtez`` is ``arretez``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final, NamedTuple

__all__ = ["QWERTY", "Locale", "Phrase", "PhraseIndex", "words"]

QWERTY: Final = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
"""Letter rows of a QWERTY phone keyboard, top to bottom; each row sits half a key right of the one above."""


def words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of `text` as a set."""
    return frozenset(text.split())


def keyboard_neighbours(rows: Iterable[str]) -> dict[str, frozenset[str]]:
    """Map each key of a keyboard (rows top to bottom, each half a key right of the one above) to the
    keys touching it."""
    grid = tuple(rows)
    neighbours: dict[str, set[str]] = {}
    for r, row in enumerate(grid):
        for i, key in enumerate(row):
            near = neighbours.setdefault(key, set())
            near.update(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
            if r > 0:
                above = grid[r - 1]
                near.update(above[j] for j in (i, i + 1) if j < len(above))
            if r + 1 < len(grid):
                below = grid[r + 1]
                near.update(below[j] for j in (i - 1, i) if 0 <= j < len(below))
    return {key: frozenset(near) for key, near in neighbours.items()}


class Phrase(NamedTuple):
    """An opt-out phrase: a regular expression, and the words one of which a message must hold for the
    expression to be tried at all (a word ending in ``*`` is a prefix: ``arret*``)."""

    anchors: str
    """Space-separated words or prefixes; every match of `pattern` holds one of them."""
    pattern: str
    """Searched in the message's words joined by single spaces."""


class PhraseIndex:
    """The phrases of a locale, compiled, with a look-up from a word to the phrases worth trying."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.patterns: tuple[re.Pattern[str], ...] = ()
        exact: dict[str, list[int]] = {}
        prefixes: dict[str, list[int]] = {}
        patterns = []
        for index, phrase in enumerate(phrases):
            patterns.append(re.compile(phrase.pattern))
            for anchor in phrase.anchors.split():
                if anchor.endswith("*"):
                    prefixes.setdefault(anchor[:-1], []).append(index)
                else:
                    exact.setdefault(anchor, []).append(index)
        self.patterns = tuple(patterns)
        self._exact = {word: frozenset(ids) for word, ids in exact.items()}
        self._prefixes = {prefix: frozenset(ids) for prefix, ids in prefixes.items()}
        self._lengths = tuple(sorted({len(prefix) for prefix in prefixes}))

    def anchored_by(self, token: str) -> frozenset[int]:
        """Return the indexes of the phrases that `token` anchors."""
        found = self._exact.get(token, frozenset())
        for length in self._lengths:
            if length > len(token):
                break
            ids = self._prefixes.get(token[:length])
            if ids is not None:
                found = found | ids
        return found


@dataclass(frozen=True)
class Locale:
    """One language's default keywords and what fuzzy opt-out reads in it.

    The keyword tuples are the defaults of the categories a webhook does not declare (upper case,
    as documented); `confirm` is the default of `fuzzy_confirm_keywords`. The rest is for fuzzy
    opt-out, in normalised form.
    """

    code: str
    """The value of a webhook's `locale`: an ISO 639-1 code such as ``fr``."""
    name: str
    """The language's English name, for documentation."""
    opt_out: tuple[str, ...]
    opt_in: tuple[str, ...]
    help: tuple[str, ...]
    confirm: tuple[str, ...]
    keyboard: tuple[str, ...]
    """The letter rows of the phone keyboard people of this language use (`QWERTY`, AZERTY, QWERTZ):
    fat-finger typos of short keywords are neighbouring keys."""
    ordinary: frozenset[str]
    """Common words never read as a typo of an opt-out keyword, though close to one (``sto`` in Italian): the
    words within typo distance of the locale's default opt-out keywords among the 50,000 most frequent of
    the language and of English (the `wordfreq` lists, read once when these lists were written), less those
    that are themselves ways to ask to stop (``arretez``, ``cancela``)."""
    filler: frozenset[str]
    """Words that may surround a keyword without changing what the message asks for (``svp``, ``bitte``)."""
    intents: frozenset[str]
    """Single words that ask to stop without being keywords (``arretez``, ``paren``, ``smettila``): alone or
    amid filler words they prompt like a typo of a keyword."""
    phrases: tuple[Phrase, ...]
    """Opt-out phrases, searched in the message's words joined by single spaces (typos of the webhook's
    opt-out keywords corrected first)."""
    negation: str | None = None
    """A regular expression that cancels a phrase match (``n arretez pas``: "don't stop")."""
    elision: bool = False
    """Whether the language elides words with an apostrophe that then separates two words (French
    ``m'envoyer``, Italian ``dall'elenco``); otherwise apostrophes are dropped (``don't`` -> ``dont``, which
    also stays one word where the language elides)."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Short forms that name a keyword in a phrase (``unsub`` names UNSUBSCRIBE)."""

    @cached_property
    def neighbours(self) -> dict[str, frozenset[str]]:
        """Each key of `keyboard` and the keys touching it."""
        return keyboard_neighbours(self.keyboard)

    @cached_property
    def phrase_index(self) -> PhraseIndex:
        """`phrases` compiled."""
        return PhraseIndex(self.phrases)

    @cached_property
    def negation_pattern(self) -> re.Pattern[str] | None:
        """`negation` compiled, or None."""
        return re.compile(self.negation) if self.negation else None
