"""Default keywords of SPEC.md for English webhooks; other locales have their own
(`smschannel.keywords.locales`)."""

from __future__ import annotations

from typing import Final

from smschannel.keywords.locales.en import ENGLISH

DEFAULT_OPT_OUT: Final = ENGLISH.opt_out
"""Opt-out keywords when `opt_out` is not declared (English). STOP also covers STOPALL."""

DEFAULT_OPT_IN: Final = ENGLISH.opt_in
"""Opt-in keywords when `opt_in` is not declared (English)."""

DEFAULT_HELP: Final = ENGLISH.help
"""Help keywords when `help` is not declared (English)."""

DEFAULT_FUZZY_CONFIRM: Final = ENGLISH.confirm
"""Keywords that confirm a pending fuzzy opt-out when `fuzzy_confirm_keywords` is not set (English)."""

DEFAULT_FUZZY_WINDOW_MINUTES: Final = 60
"""Minutes a fuzzy opt-out confirmation stays open when `fuzzy_confirm_window_minutes` is not set."""

STOPALL: Final = "STOPALL"
"""Counts as STOP wherever STOP is an opt-out keyword."""
