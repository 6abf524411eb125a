"""Which credentials can carry a channel, in words (shared by the provider's plan and the registry)."""

from __future__ import annotations


def carriers(channel: str) -> str:
    from smschannel.model import CREDENTIALS

    names = sorted(m.title for m in CREDENTIALS if channel in m.channels)
    return f"{channel.upper()} needs " + " or ".join(names)


__all__ = ["carriers"]
