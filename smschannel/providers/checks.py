"""Checks of a credentials' own attributes against the vendor, run by the plan and by the registry alike."""

from __future__ import annotations

from smschannel.errors import Problem
from smschannel.providers.catalog import provider_for
from smschannel.providers.protocol import Credentials


def inbound_number_problem(credentials: Credentials) -> Problem | None:
    """Why the credentials' `inbound_number` is not a number of the vendor account, or None (also when there is
    none, or the vendor cannot tell). Raises `VendorError` when the vendor fails."""
    number = credentials.attributes.get("inbound_number")
    if not isinstance(number, str) or not number:
        return None
    reason = provider_for(credentials.model).check_sender(credentials, number)
    return Problem("inbound_number", f"inbound_number: {reason}") if reason else None


__all__ = ["inbound_number_problem"]
