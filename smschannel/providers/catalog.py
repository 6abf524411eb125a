"""The one lookup from a credentials type (or a webhook's vendor) to its SMS provider, and the loading
of providers from outside this package."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from functools import cache

from smschannel.model import BY_STEM, CredentialsModel, vendor_credentials
from smschannel.providers.protocol import SmsProvider

EXTENSIONS = "SMSCHANNEL_PROVIDERS"
"""The environment variable naming modules (comma-separated) that register more SMS providers."""


def provider_for(credentials: type[CredentialsModel] | str) -> SmsProvider:
    """The provider that serves a credentials type (the model, or its stem such as `twilio_credentials`)."""
    model = BY_STEM.get(credentials) if isinstance(credentials, str) else credentials
    if model is None or not issubclass(model, CredentialsModel):
        raise LookupError(f"{credentials} is not a credentials type")
    return _load(model.provider)


def provider_for_vendor(vendor: str) -> SmsProvider:
    """The provider of a webhook's `vendor`."""
    model = vendor_credentials(vendor)
    if model is None:
        raise LookupError(f"no SMS provider for vendor {vendor}")
    return _load(model.provider)


@cache
def _load(module: str) -> SmsProvider:
    provider = getattr(importlib.import_module(module), "PROVIDER", None)
    if not isinstance(provider, SmsProvider):
        raise LookupError(f"{module} has no PROVIDER implementing SmsProvider")
    return provider


def load_extensions(environ: Mapping[str, str] | None = None) -> list[str]:
    """Import the modules named in `SMSCHANNEL_PROVIDERS`; each registers its credentials models with
    `smschannel.model.register`. Returns the modules imported."""
    names = [n.strip() for n in (os.environ if environ is None else environ).get(EXTENSIONS, "").split(",")]
    for name in filter(None, names):
        importlib.import_module(name)
    return [n for n in names if n]


__all__ = ["EXTENSIONS", "load_extensions", "provider_for", "provider_for_vendor"]
