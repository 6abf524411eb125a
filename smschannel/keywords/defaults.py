"""Default keywords of SPEC.md, used for every category a webhook does not declare."""

from __future__ import annotations

from typing import Final

DEFAULT_OPT_OUT: Final = ("STOP", "QUIT", "CANCEL", "END", "UNSUBSCRIBE", "NO")
"""Opt-out keywords when `opt_out` is not declared. STOP also covers STOPALL."""

DEFAULT_OPT_IN: Final = ("SUBSCRIBE", "YES", "UNSTOP", "START", "CONTINUE", "RESUME", "BEGIN")
"""Opt-in keywords when `opt_in` is not declared."""

DEFAULT_HELP: Final = ("HELP", "INFO")
"""Help keywords when `help` is not declared."""

DEFAULT_FUZZY_CONFIRM: Final = ("YES", "Y")
"""Keywords that confirm a pending fuzzy opt-out when `fuzzy_confirm_keywords` is not set."""

DEFAULT_FUZZY_WINDOW_MINUTES: Final = 60
"""Minutes a fuzzy opt-out confirmation stays open when `fuzzy_confirm_window_minutes` is not set."""

STOPALL: Final = "STOPALL"
"""Counts as STOP wherever STOP is an opt-out keyword."""
