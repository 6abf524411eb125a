"""What the docs generator reports: `DocsError` stops it, `Warn` notes what it leaves out of a page."""

from __future__ import annotations

from collections.abc import Callable

from smschannel.errors import SmschannelError

Warn = Callable[[str], None]
"""Receives one line per thing left out of a page (a missing example, a construct, a docstring)."""


class DocsError(SmschannelError):
    """An example or a template the generator cannot use; the message names the file."""
