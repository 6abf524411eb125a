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

_SPACED: Final = "\u00a0\u00a1\u00ab\u00bb\u00bf"
"""No-break space and the punctuation of Spanish and French quotes and questions (¡ « » ¿): read as spaces."""
_SPACED_RE: Final = re.compile(f"[{_SPACED}]")


def _latin1_table() -> bytes:
    """A byte table for Latin-1 text: each accented letter to its ASCII letter, `_SPACED` to a space, every
    other byte to itself (ß, æ, ø ... stay, and send the text down the general path)."""
    table = bytearray(range(256))
    for code in range(0xA0, 0x100):
        char = chr(code)
        if char in _SPACED:
            table[code] = ord(" ")
            continue
        bare = _MARKS.sub("", unicodedata.normalize("NFKD", char)).casefold()
        if len(bare) == 1 and bare.isascii() and bare.isalpha():
            table[code] = ord(bare)
    return bytes(table)


_LATIN1: Final = _latin1_table()


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
    """Return the form keywords are matched in: `clean(text)` with accents folded (ARRÊT = ARRET = arret),
    and ¿ ¡ « » read as spaces.

    ASCII text goes through a fast path: it has no accent to fold; so does Latin-1 text that is ASCII once
    its accents are folded.
    """
    if not text.isascii() and max(text) <= "\xff":
        # Most accented messages are Latin-1: one pass over a byte table folds them.
        text = text.encode("latin-1").translate(_LATIN1).decode("latin-1")
    if text.isascii():
        return " ".join(text.strip(_ASCII_EDGE_JUNK).casefold().split())
    text = _MARKS.sub("", unicodedata.normalize("NFKD", _SPACED_RE.sub(" ", text)).casefold())
    if not text.isascii():
        if _LATIN.search(text) is not None:
            text = _LATIN.sub(lambda letter: _LATIN_LETTERS[letter[0]], text)
        if not text.isascii():
            return _trimmed(unicodedata.normalize("NFC", text))
    return " ".join(text.strip(_ASCII_EDGE_JUNK).split())
