"""Text normalisation shared by keyword matching and fuzzy opt-out."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["clean", "normalize"]

_ASCII_EDGE_JUNK = "".join(chr(c) for c in range(128) if not chr(c).isalnum())

_MARKS: Final = re.compile("[\u0300-\u036f]+")
"""The combining diacritical marks, dropped from decomposed text (``e`` + U+0301 -> ``e``). Scripts whose
marks are letters of their own (Devanagari vowel signs, ...) keep them."""

_LATIN_LETTERS: Final = {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
"""Latin letters that carry no separable accent, spelt as people type them without one."""
_LATIN: Final = re.compile(f"[{''.join(_LATIN_LETTERS)}]")


def _is_edge_junk(char: str) -> bool:
    """Return whether `char` is dropped at either end: anything but letters, digits and combining marks."""
    return not char.isalnum() and not unicodedata.category(char).startswith("M")


def _trimmed(text: str) -> str:
    """Return non-ASCII `text` without surrounding punctuation, symbols and emoji, inner whitespace collapsed."""
    start, end = 0, len(text)
    while start < end and _is_edge_junk(text[start]):
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    if start or end != len(text):
        text = text[start:end]
    return " ".join(text.split())


def clean(text: str) -> str:
    """Return `text` trimmed, case-folded, stripped of surrounding punctuation, inner whitespace collapsed.

    Compatibility characters are unified first (NFKC), so full-width letters become plain ones.
    Surrounding punctuation includes symbols and emoji; inner punctuation is kept (``opt-out``).
    Accents are kept: this is how a keyword is shown (``ARRÊT``); `normalize` is how it is matched.
    """
    if text.isascii():
        return " ".join(text.strip(_ASCII_EDGE_JUNK).casefold().split())
    return _trimmed(unicodedata.normalize("NFKC", text).casefold())


def normalize(text: str) -> str:
    """Return the form keywords are matched in: `clean(text)` with accents folded (ARRÊT = ARRET = arret).

    ASCII text goes through a fast path: it has no accent to fold; so does text that is ASCII once its
    accents are folded.
    """
    if text.isascii():
        return " ".join(text.strip(_ASCII_EDGE_JUNK).casefold().split())
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text).casefold())
    if not text.isascii():
        if _LATIN.search(text) is not None:
            text = _LATIN.sub(lambda letter: _LATIN_LETTERS[letter[0]], text)
        if not text.isascii():
            return _trimmed(unicodedata.normalize("NFC", text))
    return " ".join(text.strip(_ASCII_EDGE_JUNK).split())
