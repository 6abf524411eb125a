"""Fuzzy opt-out: typos of opt-out keywords and plain opt-out phrases, in the webhook's language.

A fuzzy match never opts anybody out; the engine answers it with a confirmation prompt.

Typos are measured with rapidfuzz's optimal string alignment distance (an adjacent transposition
counts as one edit) and must keep the keyword's first letter:

========================  ===================================================================
keyword length            accepted
========================  ===================================================================
1-2 letters (NO)          repeated letters only (``nooo``); every one-edit neighbour of NO is a
                          common word (ON, SO, GO, TO, NOT ...)
3-4 letters (END, STOP,   one edit, and only a fat-finger edit: an adjacent transposition
QUIT, FIN, BAJA)          (``stpo``), a key next to the intended one on the language's phone
                          keyboard (``stip``, ``emd``, ``st0p``; AZERTY for French, QWERTZ for
                          German), an extra key next to its neighbours (``stopo``), or a dropped
                          letter other than the first (``stp``, 4 letters only); never a common
                          word (SHOP, STEP, TOP, QUITE, SUIT, AND, ENDS, ALGO, SAI, STO ...)
5-9 letters (CANCEL,      one edit, never a common word (CANCER, BUSTA, PARA is a typo of PARAR
ARRET)                    only where it is no common word)
10 letters and more       two edits (UNSUSCRIBE, DESABONEE, DESCADASTAR)
========================  ===================================================================

Repeated letters are squeezed before comparing (``stooop``, ``cancellll``, German ``stopp``).
Common words come from the webhook's locale (`Locale.ordinary`): the words of that language, and of
English, that sit within those distances of its default keywords.

A longer message resembles an opt-out when:

1. its words spell a keyword once joined (``s t o p``, ``un subscribe``);
2. it is a keyword, a typo of one, or a word that asks to stop (`Locale.intents`: ``arrêtez``,
   ``paren``, ``smettila``) surrounded only by filler words (``stop please``, ``baja por favor``,
   ``stop stop stop``);
3. it contains an opt-out phrase of the locale or of English (``can you stop texting me``, ``ne
   m'envoyez plus de messages``, ``dame de baja``, ``keine SMS mehr``); typos of configured keywords are
   corrected first (``can you stpo sending me texts``); a negation cancels the phrase (``don't stop
   texting me``, ``n'arrêtez pas``, ``no dejen de mandarme promociones``);
4. one of its sentences is a keyword of 4 letters or more, a typo of one, or a word that asks to stop
   (``Stop! Who is this?``, ``Qui êtes-vous ? Arrêtez.``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal, NamedTuple

from rapidfuzz.distance import OSA, Levenshtein

from smschannel.keywords.language import Locale

__all__ = ["FuzzyMatch", "OptOutMatcher", "max_typo_distance"]

_FILLER_WORD: Final = ("", 0.0)
_INTENT_WORD: Final = ("", 1.0)
_TOKEN: Final = re.compile(r"[^\W_]+")
_APOSTROPHES: Final = ("'", "\u2019", "\u02bc", "`")
_CLAUSE_BREAK: Final = re.compile(r"[.!?;,:]+")
_REPEATS: Final = re.compile(r"(.)\1+")

Hit = tuple[str, float]
"""A keyword (upper case; empty for a filler word or a word that asks to stop) and a similarity in 0..1."""


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


def _fat_finger(keyword: str, typo: str, neighbours: dict[str, frozenset[str]]) -> bool:
    """Return whether `typo`, one edit from a 3-4 letter `keyword`, is an edit a finger plausibly makes."""
    if Levenshtein.distance(keyword, typo, score_cutoff=1) > 1:
        return True  # one OSA edit but two Levenshtein edits: an adjacent transposition
    (op,) = Levenshtein.editops(keyword, typo)
    if op.tag == "replace":
        return typo[op.dest_pos] in neighbours.get(keyword[op.src_pos], frozenset())
    if op.tag == "insert":
        extra = typo[op.dest_pos]
        beside = typo[max(op.dest_pos - 1, 0) : op.dest_pos] + typo[op.dest_pos + 1 : op.dest_pos + 2]
        return any(extra == c or extra in neighbours.get(c, frozenset()) for c in beside)
    return len(keyword) >= 4  # a dropped letter: keeps at least three letters


class FuzzyMatch(NamedTuple):
    """Why a message resembles an opt-out request (an immutable tuple)."""

    keyword: str | None
    """The configured opt-out keyword resembled (upper case), or None for a phrase naming none."""
    score: float
    """Similarity in 0..1 of the typo to `keyword` (after squeezing repeats); 1.0 for a phrase."""
    kind: Literal["keyword", "phrase"]
    """``keyword``: a keyword or its typo, spelt out or amid filler words; ``phrase``: an opt-out phrase,
    or a word that asks to stop without being a keyword."""


@dataclass(frozen=True, slots=True)
class _Target:
    form: str
    keyword: str
    max_distance: int
    short: bool


class OptOutMatcher:
    """Recognises typos of a set of opt-out keywords and plain opt-out phrases in normalised text."""

    def __init__(
        self, keywords: Iterable[tuple[str, str]], *, not_typos: Iterable[str] = (), locale: Locale | None = None
    ) -> None:
        """Compile the matcher.

        `keywords` pairs each normalised opt-out keyword with the upper-case keyword to report
        (``("stopall", "STOP")`` makes STOPALL count as STOP); typos are compared with the keyword's
        letters and digits only (``opt-out`` as ``optout``). `not_typos` are normalised words never read
        as a typo, such as the keywords of the other categories. `locale` gives the common words, filler
        words, phrases and keyboard (English when None).
        """
        if locale is None:
            from smschannel.keywords.locales.en import ENGLISH

            locale = ENGLISH
        self.locale = locale
        self._neighbours = locale.neighbours
        self._ordinary = locale.ordinary
        self._filler = locale.filler
        self._intents = locale.intents
        self._phrases = locale.phrase_index
        self._negation = locale.negation_pattern
        self._elision = locale.elision
        self._exact: dict[str, str] = {}
        self._form_of: dict[str, str] = {}
        self._squeezed: dict[str, str] = {}
        by_initial: dict[str, list[_Target]] = {}
        for form, keyword in keywords:
            compact = "".join(self._words_of(form))
            if not compact:
                continue
            self._exact.setdefault(form, keyword)
            self._exact.setdefault(compact, keyword)
            self._form_of.setdefault(keyword, form)
            self._squeezed.setdefault(_squeeze(compact), keyword)
            distance = max_typo_distance(len(compact))
            if distance:
                target = _Target(compact, keyword, distance, len(compact) <= 4)
                by_initial.setdefault(compact[0], []).append(target)
        self._aliases = {alias: self._exact[full] for alias, full in locale.aliases.items() if full in self._exact}
        self._by_initial = {initial: tuple(targets) for initial, targets in by_initial.items()}
        self._not_typos = frozenset(not_typos) - self._exact.keys()
        self.typo = lru_cache(maxsize=8192)(self._typo)
        self._word = lru_cache(maxsize=8192)(self._classify)
        self._token = lru_cache(maxsize=8192)(self._canonical)

    def _words_of(self, text: str) -> list[str]:
        """Return the words of `text` (see `_apostrophes`)."""
        return _TOKEN.findall(self._apostrophes(text))

    def _apostrophes(self, text: str) -> str:
        """Return `text` with its apostrophes resolved: one separates two words where the locale elides
        (French ``m'envoyer``), and is dropped elsewhere (``don't`` -> ``dont``, in every locale)."""
        for apostrophe in _APOSTROPHES:
            if apostrophe in text:
                if self._elision:  # "m'envoyer" is two words, but "don't" stays one: "dont"
                    text = text.replace(f"n{apostrophe}t", "nt").replace(apostrophe, " ")
                else:
                    text = text.replace(apostrophe, "")
        return text

    def _classify(self, word: str) -> Hit | None:
        """Return `_FILLER_WORD` for a filler word, `_INTENT_WORD` for a word that asks to stop, else what
        `typo` returns."""
        if word in self._filler or _squeeze(word) in self._filler:
            return _FILLER_WORD
        hit = self.typo(word)
        if hit is None and (word in self._intents or _squeeze(word) in self._intents):
            return _INTENT_WORD
        return hit

    def _typo(self, word: str) -> Hit | None:
        """Return the keyword `word` spells or misspells and the similarity, or None.

        `word` is one normalised token; a keyword itself scores 1.0.
        """
        keyword = self._exact.get(word)
        if keyword is not None:
            return keyword, 1.0
        if word in self._ordinary or word in self._not_typos or word.isdigit():
            return None
        squeezed = _squeeze(word)
        if squeezed != word:
            keyword = self._squeezed.get(squeezed)
            if keyword is not None:
                return keyword, 1.0
            if squeezed in self._ordinary or squeezed in self._not_typos:
                return self._misspelt(word)  # "shooop" is "shop", but "stoo" may still be a typo of STOP
        return self._misspelt(word) or (self._misspelt(squeezed) if squeezed != word else None)

    def _misspelt(self, word: str) -> Hit | None:
        best: Hit | None = None
        for target in self._by_initial.get(word[0], ()):
            if abs(len(word) - len(target.form)) > target.max_distance:
                continue
            distance = OSA.distance(word, target.form, score_cutoff=target.max_distance)
            if distance > target.max_distance:
                continue
            if distance and target.short and not _fat_finger(target.form, word, self._neighbours):
                continue
            score = 1.0 - distance / max(len(word), len(target.form))
            if best is None or score > best[1]:
                best = target.keyword, score
        return best

    def _keyword_with_filler(self, tokens: list[str], *, min_length: int) -> FuzzyMatch | None:
        """Return the match if `tokens` are keywords, typos of keywords or words that ask to stop, amid
        filler words."""
        found: Hit | None = None
        for token in tokens:
            hit = self._word(token)
            if hit is None:
                return None
            if hit is _INTENT_WORD:
                if found is None:
                    found = hit
            elif hit is not _FILLER_WORD and len(hit[0]) >= min_length and (
                found is None or found is _INTENT_WORD or hit[1] > found[1]
            ):
                found = hit
        if found is None:
            return None
        if found is _INTENT_WORD:
            return FuzzyMatch(None, 1.0, "phrase")
        return FuzzyMatch(found[0], found[1], "keyword")

    def match(self, text: str) -> FuzzyMatch | None:
        """Return why normalised `text` resembles an opt-out request, or None when it does not."""
        text = self._apostrophes(text)
        tokens = _TOKEN.findall(text)
        if not tokens:
            return None
        joined = "".join(tokens)
        if len(joined) == len(tokens) or len(tokens) == 1:  # one word, or a word spelt out letter by letter
            hit = self.typo(joined)
            if hit is not None:
                return FuzzyMatch(hit[0], hit[1], "keyword")
        elif len(tokens) == 2:
            keyword = self._exact.get(joined)
            if keyword is not None:
                return FuzzyMatch(keyword, 1.0, "keyword")
        if len(tokens) > 1 or self._intents:
            found = self._keyword_with_filler(tokens, min_length=3 if len(tokens) > 1 else 99)
            if found is not None:
                return found
        phrase, sentence = self._phrase(tokens)
        if phrase is not None:
            return phrase
        if sentence and len(tokens) > 1:
            return self._sentence(text)
        return None

    def _canonical(self, token: str) -> tuple[str, Hit | None, frozenset[int], bool]:
        """Return `token` with a typo of a keyword corrected, the typo found, the phrases it anchors, and
        whether it could make a sentence an opt-out on its own (see `_sentence`)."""
        word = self._word(token)
        stops = word is _INTENT_WORD or (word is not None and word is not _FILLER_WORD and len(word[0]) >= 4)
        hit = self.typo(token)
        if hit is not None:
            token = self._form_of[hit[0]]
        return token, hit, self._phrases.anchored_by(token), stops

    def _phrase(self, tokens: list[str]) -> tuple[FuzzyMatch | None, bool]:
        """Return the phrase `tokens` hold, if any, and whether one of them could stop a sentence."""
        canonical: list[str] = []
        corrected: dict[str, Hit] = {}
        candidates: frozenset[int] = frozenset()
        sentence = False
        for token in tokens:
            form, hit, anchored, stops = self._token(token)
            if hit is not None:
                corrected[form] = hit
            if anchored:
                candidates = candidates | anchored
            sentence = sentence or stops
            canonical.append(form)
        if not candidates:
            return None, sentence
        text = " ".join(canonical)
        patterns = self._phrases.patterns
        found = None
        for index in sorted(candidates):
            found = patterns[index].search(text)
            if found is not None:
                break
        if found is None or (self._negation is not None and self._negation.search(text) is not None):
            return None, sentence
        for word in found[0].split():
            hit = corrected.get(word)
            if hit is not None:
                return FuzzyMatch(hit[0], hit[1], "phrase"), sentence
            keyword = self._exact.get(word) or self._aliases.get(word)
            if keyword is not None:
                return FuzzyMatch(keyword, 1.0, "phrase"), sentence
        return FuzzyMatch(None, 1.0, "phrase"), sentence

    def _sentence(self, text: str) -> FuzzyMatch | None:
        """Match a sentence of a longer message (apostrophes resolved) that is a keyword of 4+ letters, or a
        word that asks to stop, amid filler words."""
        clauses = _CLAUSE_BREAK.split(text)
        if len(clauses) < 2:
            return None
        for clause in clauses:
            tokens = _TOKEN.findall(clause)
            if tokens:
                hit = self._keyword_with_filler(tokens, min_length=4)
                if hit is not None:
                    return hit
        return None
