"""The languages a webhook's `locale` may name, one module each: default keywords, confirm keywords,
and what fuzzy opt-out reads in that language."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from smschannel.keywords.language import Locale
from smschannel.keywords.locales.de import GERMAN
from smschannel.keywords.locales.en import ENGLISH
from smschannel.keywords.locales.es import SPANISH
from smschannel.keywords.locales.fr import FRENCH
from smschannel.keywords.locales.it import ITALIAN
from smschannel.keywords.locales.pt import PORTUGUESE

__all__ = ["DEFAULT_LOCALE", "LOCALES", "locale_for"]

LOCALES: Final[Mapping[str, Locale]] = MappingProxyType({locale.code: locale for locale in (
    ENGLISH, FRENCH, SPANISH, GERMAN, PORTUGUESE, ITALIAN)})
"""Every locale, by code, in the order the documentation lists them."""

DEFAULT_LOCALE: Final = "en"
"""The locale of a webhook that names none."""


def locale_for(code: str) -> Locale:
    """Return the locale named `code`; a `ValueError` names the codes there are."""
    locale = LOCALES.get(code)
    if locale is None:
        codes = list(LOCALES)
        listed = f"{', '.join(codes[:-1])} or {codes[-1]}" if len(codes) > 1 else codes[0]
        raise ValueError(f'must be one of {listed}, got "{code}"')
    return locale
