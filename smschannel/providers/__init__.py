"""The SMS providers: Twilio, Sinch, Sinch's Conversation API (MMS, RCS), Infobip and custom HTTP
providers, one folder each (`smschannel/providers/<name>/`: client, webhook formats, the provider).

Every provider implements `SmsProvider`. Callers (the registry, the Terraform plugin, the CLI) find the
one that serves a credentials type with `provider_for` (or a webhook's `vendor` with
`provider_for_vendor`) and never compare vendor names. A credentials model names its provider's module
(`CredentialsModel.provider`); registering the model (`smschannel.model.register`) is all a new
provider needs. Providers outside this package are loaded by `load_extensions` from the modules named
in `SMSCHANNEL_PROVIDERS`.

Nothing here imports a vendor's client until a provider is asked for, so the Terraform plugin starts fast.
"""

from __future__ import annotations

from smschannel.providers.catalog import EXTENSIONS, load_extensions, provider_for, provider_for_vendor
from smschannel.providers.protocol import (
    BaseProvider,
    Credentials,
    Parsed,
    SignatureRejected,
    SmsProvider,
    VendorRequest,
    WebhookRequest,
    Wiring,
)

__all__ = [
    "EXTENSIONS",
    "BaseProvider",
    "Credentials",
    "Parsed",
    "SignatureRejected",
    "SmsProvider",
    "VendorRequest",
    "WebhookRequest",
    "Wiring",
    "load_extensions",
    "provider_for",
    "provider_for_vendor",
]
