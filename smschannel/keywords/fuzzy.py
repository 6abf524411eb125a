"""Fuzzy opt-out: typos of opt-out keywords and plain opt-out phrases.

A fuzzy match never opts anybody out; the engine answers it with a confirmation prompt.

Typos are measured with rapidfuzz's optimal string alignment distance (an adjacent transposition
counts as one edit) and must keep the keyword's first letter:

========================  ===================================================================
keyword length            accepted
========================  ===================================================================
1-2 letters (NO)          repeated letters only (``nooo``); every one-edit neighbour of NO is a
                          common word (ON, SO, GO, TO, NOT ...)
3-4 letters (END, STOP,   one edit, and only a fat-finger edit: an adjacent transposition
QUIT)                     (``stpo``), a key next to the intended one on a QWERTY keyboard
                          (``stip``, ``emd``, ``st0p``), an extra key next to its neighbours
                          (``stopo``), or a dropped letter other than the first (``stp``, 4
                          letters only); never a common word (SHOP, STEP, TOP, QUITE, QUIET,
                          SUIT, AND, ENDS ...)
5-9 letters (CANCEL)      one edit, never a common word (CANCER)
10 letters and more       two edits (UNSUSCRIBE, UNSUBSCIBE, UNSUSCRIB)
(UNSUBSCRIBE)
========================  ===================================================================

Repeated letters are squeezed before comparing (``stooop``, ``cancellll``, German ``stopp``).
Common words come from a fixed multilingual list (English, Spanish, French, German, Portuguese,
Italian) of the words that sit within those distances of the default keywords.

A longer message resembles an opt-out when:

1. its words spell a keyword once joined (``s t o p``, ``un subscribe``);
2. it is a keyword or a typo of one surrounded only by filler words (``stop please``, ``stpo pls``,
   ``cancil it``, ``stop stop stop``);
3. it contains an opt-out phrase (``can you stop texting me``, ``i want to unsubscribe``, ``remove me from
   this list``, ``take me off your list``, ``don't text me``, ``no more messages``, ``opt out``,
   ``leave me alone``, ``wrong number``, ``not interested``); typos of configured keywords are
   corrected first (``can you stpo sending me texts``); a negation cancels the phrase
   (``don't stop texting me``);
4. one of its sentences is a keyword of 4 letters or more, or a typo of one (``Stop! Who is this?``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from rapidfuzz.distance import OSA, Levenshtein

__all__ = ["ORDINARY_WORDS", "FuzzyMatch", "OptOutMatcher", "max_typo_distance"]

_KEYBOARD_ROWS: Final = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    """Map each key of a QWERTY keyboard to the keys touching it (each row sits half a key right)."""
    neighbours: dict[str, set[str]] = {}
    for r, row in enumerate(_KEYBOARD_ROWS):
        for i, key in enumerate(row):
            near = neighbours.setdefault(key, set())
            near.update(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
            if r > 0:
                above = _KEYBOARD_ROWS[r - 1]
                near.update(above[j] for j in (i, i + 1) if j < len(above))
            if r + 1 < len(_KEYBOARD_ROWS):
                below = _KEYBOARD_ROWS[r + 1]
                near.update(below[j] for j in (i - 1, i) if 0 <= j < len(below))
    return {key: frozenset(near) for key, near in neighbours.items()}


_NEIGHBOURS: Final = _keyboard_neighbours()


def _words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of `text` as a set."""
    return frozenset(text.split())


ORDINARY_WORDS: Final = _words(
    """
    and at bend cancelli cancello cancels cancer carcel chancel cincel ende ends ene fend go lend mend
    ned no non not now on qui quiet quite quits quoit send shop so sop spot step stool stoop strop
    suit to top und
    """
)
"""Words that are never read as a typo of an opt-out keyword (the keywords themselves match exactly)."""

_FILLER: Final = _words(
    """
    please pls plz plse plez pleas pleaze now right away rightnow asap immediately thanks thank
    you u thx ty tx thankyou ok okay k kk me it all them this that these those texts text txt txts
    msgs msg messages message sms sending texting messaging just already again sir maam hi hey
    hello fucking fuckin fuck freaking effing damn bloody omg
    """
)
"""Words that may surround a keyword without changing what the message asks for."""

_MSG_NOUN: Final = (
    r"(?:texts?|txts?|messages?|msgs?|sms|notifications?|alerts?|spam|marketing|promotions?|promos?"
    r"|offers|ads|advertising|subscriptions?|mailing list|list|updates|reminders|emails?)"
)
_MSG_ING: Final = (
    r"(?:texting|txting|texing|messaging|msging|sending|contacting|spamming|bothering|harassing"
    r"|emailing|calling)"
)
_MSG_VERB: Final = r"(?:text|txt|message|msg|contact|sms|spam|email|call|send)"
_DET: Final = (
    r"(?:(?:all|the|these|those|this|your|ur|my|any|of|more|further|future|me|us|fucking|freaking|damn)"
    r" )*"
)
_NEGATED: Final = r"(?<!dont )(?<!do not )(?<!never )(?<!cant )(?<!cannot )(?<!wont )(?<!not )(?<!didnt )"
_VERB_OUT: Final = r"(?:stop|quit|end|cancel|unsubscribe)"

_PHRASES: Final = re.compile(
    "|".join(
        (
            # stop texting me / cancel my subscription / end these texts
            rf"\b{_NEGATED}(?P<verb>{_VERB_OUT}) {_DET}(?:{_MSG_ING}|{_MSG_NOUN})\b",
            # i want to unsubscribe / unsubscribe me
            rf"\b{_NEGATED}(?P<unsub>unsubscribe|unsub)\b",
            # remove me from this list / delete my number
            r"\b(?:remove|delete|erase) (?:me|us|my (?:number|phone|cell|info|details|contact))\b",
            # take me off your list / get me off this list
            r"\b(?:take|get|drop|put) (?:me|us|my (?:number|phone|cell)) (?:off|out of|from)\b",
            # opt out / opt me out / optout
            rf"\b{_NEGATED}(?:opt(?:ing)? (?:me |us )?out|optout|opt out)\b",
            # don't text me / never contact me again
            rf"\b(?:dont|do not|never|stop) (?:ever )?{_MSG_VERB} (?:me|us|this number|my number)\b"
            r"(?! (?:back|until|till|before|after|tomorrow|today|tonight|yet|later|when|while|if|at|on"
            r"|right))",
            # no more messages / no more
            rf"\bno (?:more|further) {_DET}{_MSG_NOUN}\b",
            r"^(?:please )?no (?:more|further)(?: please| pls| thanks| thank you)?$",
            # i don't want these messages / i no longer want to receive texts
            rf"\b(?:dont|do not|no longer) (?:want|wish|need|like) (?:to (?:receive|get) )?"
            rf"{_DET}{_MSG_NOUN}\b",
            r"\bleave (?:me|us) alone\b",
            r"\bwrong (?:number|person)\b",
            r"^(?:im |i am |sorry )?not interested(?: thanks| thank you| sorry)?$",
            # stop please i'm busy
            rf"^(?:please |pls )?(?P<lead>{_VERB_OUT}) (?:please|pls|plz|now|immediately|asap)\b",
        )
    )
)
_PHRASE_ANCHORS: Final = _words(
    "stop quit end cancel unsubscribe unsub remove delete erase take get drop put opt opting optout "
    "dont do never no leave wrong not"
)

_FILLER_WORD: Final = ("", 0.0)
_TOKEN: Final = re.compile(r"[^\W_]+")
_APOSTROPHES: Final = ("'", "\u2019", "\u02bc", "`")
_CLAUSE_BREAK: Final = re.compile(r"[.!?;,:]+")
_REPEATS: Final = re.compile(r"(.)\1+")


def max_typo_distance(keyword_length: int) -> int:
    """Return the optimal string alignment distance a typo of a keyword of this length may have."""
    if keyword_length <= 2:
        return 0
    if keyword_length <= 9:
        return 1
    return 2


def _squeeze(word: str) -> str:
    """Return `word` with each run of a repeated character reduced to one (``stooop`` -> ``stop``)."""
    if _REPEATS.search(word) is None:
        return word
    return _REPEATS.sub(r"\1", word)


def _words_of(text: str) -> list[str]:
    """Return the words of `text`, apostrophes dropped (``don't`` -> ``dont``)."""
    for apostrophe in _APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "")
    return _TOKEN.findall(text)


def _fat_finger(keyword: str, typo: str) -> bool:
    """Return whether `typo`, one edit from a 3-4 letter `keyword`, is an edit a finger plausibly makes."""
    if Levenshtein.distance(keyword, typo, score_cutoff=1) > 1:
        return True  # one OSA edit but two Levenshtein edits: an adjacent transposition
    (op,) = Levenshtein.editops(keyword, typo)
    if op.tag == "replace":
        return typo[op.dest_pos] in _NEIGHBOURS.get(keyword[op.src_pos], frozenset())
    if op.tag == "insert":
        extra = typo[op.dest_pos]
        beside = typo[max(op.dest_pos - 1, 0) : op.dest_pos] + typo[op.dest_pos + 1 : op.dest_pos + 2]
        return any(extra == c or extra in _NEIGHBOURS.get(c, frozenset()) for c in beside)
    return len(keyword) >= 4  # a dropped letter: keeps at least three letters


@dataclass(frozen=True, slots=True)
class FuzzyMatch:
    """Why a message resembles an opt-out request."""

    keyword: str | None
    """The configured opt-out keyword resembled (upper case), or None for a phrase naming none."""
    score: float
    """Similarity in 0..1 of the typo to `keyword` (after squeezing repeats); 1.0 for a phrase."""
    kind: Literal["keyword", "phrase"]
    """``keyword``: a keyword or its typo, spelt out or amid filler words; ``phrase``: an opt-out phrase."""


@dataclass(frozen=True, slots=True)
class _Target:
    form: str
    keyword: str
    max_distance: int
    short: bool


class OptOutMatcher:
    """Recognises typos of a set of opt-out keywords and plain opt-out phrases in normalised text."""

    def __init__(self, keywords: Iterable[tuple[str, str]], *, not_typos: Iterable[str] = ()) -> None:
        """Compile the matcher.

        `keywords` pairs each normalised opt-out keyword with the upper-case keyword to report
        (``("stopall", "STOP")`` makes STOPALL count as STOP); typos are compared with the keyword's
        letters and digits only (``opt-out`` as ``optout``). `not_typos` are normalised words never read
        as a typo, such as the keywords of the other categories.
        """
        self._exact: dict[str, str] = {}
        self._squeezed: dict[str, str] = {}
        by_initial: dict[str, list[_Target]] = {}
        for form, keyword in keywords:
            compact = "".join(_words_of(form))
            if not compact:
                continue
            self._exact.setdefault(form, keyword)
            self._exact.setdefault(compact, keyword)
            self._squeezed.setdefault(_squeeze(compact), keyword)
            distance = max_typo_distance(len(compact))
            if distance:
                target = _Target(compact, keyword, distance, len(compact) <= 4)
                by_initial.setdefault(compact[0], []).append(target)
        self._by_initial = {initial: tuple(targets) for initial, targets in by_initial.items()}
        self._not_typos = frozenset(not_typos) - self._exact.keys()
        self.typo = lru_cache(maxsize=8192)(self._typo)
        self._word = lru_cache(maxsize=8192)(self._classify)

    def _classify(self, word: str) -> tuple[str, float] | None:
        """Return `_FILLER_WORD` for a filler word, else what `typo` returns."""
        if word in _FILLER or _squeeze(word) in _FILLER:
            return _FILLER_WORD
        return self.typo(word)

    def _typo(self, word: str) -> tuple[str, float] | None:
        """Return the keyword `word` spells or misspells and the similarity, or None.

        `word` is one normalised token; a keyword itself scores 1.0.
        """
        keyword = self._exact.get(word)
        if keyword is not None:
            return keyword, 1.0
        if word in ORDINARY_WORDS or word in self._not_typos or word.isdigit():
            return None
        squeezed = _squeeze(word)
        if squeezed != word:
            keyword = self._squeezed.get(squeezed)
            if keyword is not None:
                return keyword, 1.0
            if squeezed in ORDINARY_WORDS or squeezed in self._not_typos:
                return None
        return self._misspelt(word) or (self._misspelt(squeezed) if squeezed != word else None)

    def _misspelt(self, word: str) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        for target in self._by_initial.get(word[0], ()):
            if abs(len(word) - len(target.form)) > target.max_distance:
                continue
            distance = OSA.distance(word, target.form, score_cutoff=target.max_distance)
            if distance > target.max_distance:
                continue
            if distance and target.short and not _fat_finger(target.form, word):
                continue
            score = 1.0 - distance / max(len(word), len(target.form))
            if best is None or score > best[1]:
                best = target.keyword, score
        return best

    def _keyword_with_filler(self, tokens: list[str], *, min_length: int) -> tuple[str, float] | None:
        """Return the keyword if `tokens` are keywords or typos of keywords amid filler words."""
        found: tuple[str, float] | None = None
        for token in tokens:
            hit = self._word(token)
            if hit is None:
                return None
            if hit is not _FILLER_WORD and len(hit[0]) >= min_length and (found is None or hit[1] > found[1]):
                found = hit
        return found

    def match(self, text: str) -> FuzzyMatch | None:
        """Return why normalised `text` resembles an opt-out request, or None when it does not."""
        tokens = _words_of(text)
        if not tokens:
            return None
        if len(tokens) == 1 or all(len(t) == 1 for t in tokens):
            hit = self.typo("".join(tokens))
            if hit is not None:
                return FuzzyMatch(hit[0], hit[1], "keyword")
        elif len(tokens) == 2:
            keyword = self._exact.get(tokens[0] + tokens[1])
            if keyword is not None:
                return FuzzyMatch(keyword, 1.0, "keyword")
        if len(tokens) > 1:
            hit = self._keyword_with_filler(tokens, min_length=3)
            if hit is not None:
                return FuzzyMatch(hit[0], hit[1], "keyword")
        phrase = self._phrase(tokens)
        if phrase is not None:
            return phrase
        return self._sentence(text)

    def _phrase(self, tokens: list[str]) -> FuzzyMatch | None:
        canonical: list[str] = []
        corrected: dict[str, tuple[str, float]] = {}
        anchored = False
        for token in tokens:
            hit = self.typo(token)
            if hit is not None:
                token = hit[0].casefold()
                corrected[token] = hit
            canonical.append(token)
            anchored = anchored or token in _PHRASE_ANCHORS
        if not anchored:
            return None
        found = _PHRASES.search(" ".join(canonical))
        if found is None:
            return None
        verb = found["verb"] or found["unsub"] or found["lead"]
        if verb is None:
            return FuzzyMatch(None, 1.0, "phrase")
        full = "unsubscribe" if verb == "unsub" else verb
        hit = corrected.get(full)
        if hit is not None:
            return FuzzyMatch(hit[0], hit[1], "phrase")
        return FuzzyMatch(self._exact.get(full), 1.0, "phrase")

    def _sentence(self, text: str) -> FuzzyMatch | None:
        """Match a sentence of a longer message that is a keyword of 4+ letters (with filler)."""
        clauses = _CLAUSE_BREAK.split(text)
        if len(clauses) < 2:
            return None
        for clause in clauses:
            tokens = _words_of(clause)
            if tokens:
                hit = self._keyword_with_filler(tokens, min_length=4)
                if hit is not None:
                    return FuzzyMatch(hit[0], hit[1], "keyword")
        return None
