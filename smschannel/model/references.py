"""Rules about what an object refers to (its credentials), judged the same way when Terraform plans and
when the registry saves: each returns the `Problem` a person reads, or None."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smschannel.errors import Problem
from smschannel.model.credentials import CredentialsModel


def carriers(channel: str) -> str:
    """Which credentials can carry a channel, in words: `MMS needs Sinch MMS credentials or ...`."""
    from smschannel.model import CREDENTIALS

    names = sorted(m.title for m in CREDENTIALS if channel in m.channels)
    return f"{channel.upper()} needs " + " or ".join(names)


def missing_credentials(credentials_id: str, sandbox: str) -> Problem:
    return Problem("credentials_id", f"credentials_id: no credentials with id {credentials_id} in sandbox {sandbox}")


def channel_problem(credentials: type[CredentialsModel], channel: str) -> Problem | None:
    """Why these credentials cannot carry `channel`, or None when they can."""
    if channel in credentials.channels:
        return None
    return Problem("credentials_id", f"credentials_id: {credentials.title} cannot carry the {channel} channel "
                                     f"({carriers(channel)})")


def vendor_problem(credentials: type[CredentialsModel], vendor: str) -> Problem | None:
    """Why these credentials do not fit a webhook of `vendor`, or None when they do."""
    if credentials.vendor == vendor:
        return None
    return Problem("credentials_id", f"credentials_id: {credentials.title} belong to vendor {credentials.vendor}, "
                                     f'but vendor = "{vendor}"')


def media_problem(credentials: type[CredentialsModel], values: Mapping[str, Any]) -> Problem | None:
    """Why a webhook's reply media cannot go over its credentials (`CredentialsModel.max_media`), or None."""
    from smschannel.model import CREDENTIALS
    from smschannel.model.webhook import reply_media_by_category

    for category, media in reply_media_by_category(values).items():
        if len(media) <= credentials.max_media:
            continue
        if credentials.max_media == 0:
            able = " or ".join(sorted(m.title for m in CREDENTIALS if m.max_media))
            return Problem(f"{category}.media", f"{category}.media: {credentials.title} send text replies only; "
                                                f"images need {able}")
        return Problem(f"{category}.media", f"{category}.media: {credentials.title} send at most "
                                            f"{credentials.max_media} image per reply, got {len(media)}")
    return None


def registration_problem(credentials: type[CredentialsModel], attributes: Mapping[str, Any],
                         values: Mapping[str, Any]) -> Problem | None:
    """Why a configuration's `countries` need registration details its credentials lack, or None."""
    for code in dict.fromkeys(values.get("countries") or ()):
        missing = [name for name in credentials.registrations.get(code, ()) if not attributes.get(name)]
        if missing:
            return Problem("countries", f"countries: sending to {code} needs the sender's registration, but "
                                        f"{credentials.address(attributes)} has no {' and no '.join(missing)}: "
                                        "set them on the credentials")
    return None


def registered_countries(credentials: type[CredentialsModel], attributes: Mapping[str, Any]) -> list[str]:
    """The countries whose registration the credentials carry (every registration attribute set)."""
    return [code for code, names in credentials.registrations.items() if all(attributes.get(n) for n in names)]


__all__ = [
    "carriers",
    "channel_problem",
    "media_problem",
    "missing_credentials",
    "registered_countries",
    "registration_problem",
    "vendor_problem",
]
