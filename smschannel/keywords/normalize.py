"""Text normalisation shared by keyword matching and fuzzy opt-out."""

from __future__ import annotations

import unicodedata

__all__ = ["normalize"]

_ASCII_EDGE_JUNK = "".join(chr(c) for c in range(128) if not chr(c).isalnum())


def _is_edge_junk(char: str) -> bool:
    """Return whether `char` is dropped at either end: anything but letters, digits and combining marks."""
    return not char.isalnum() and not unicodedata.category(char).startswith("M")


def normalize(text: str) -> str:
    """Return `text` trimmed, case-folded, stripped of surrounding punctuation, inner whitespace collapsed.

    Compatibility characters are unified first (NFKC), so full-width letters become plain ones.
    Surrounding punctuation includes symbols and emoji; inner punctuation is kept (``opt-out``).
    """
    if text.isascii():
        return " ".join(text.strip(_ASCII_EDGE_JUNK).casefold().split())
    text = unicodedata.normalize("NFKC", text).casefold()
    start, end = 0, len(text)
    while start < end and _is_edge_junk(text[start]):
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    if start or end != len(text):
        text = text[start:end]
    return " ".join(text.split())
