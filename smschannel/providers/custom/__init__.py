"""Custom HTTP SMS providers: the client (every auth type, mutual TLS), reading requests through a
`payload_mapping`, and the `SmsProvider` that uses them. Template and configuration rules belong to the
credentials' model (`smschannel.model.custom_rules`)."""

from __future__ import annotations

from smschannel.providers.custom.client import (
    DEFAULT_TOKEN_LIFETIME,
    CustomProviderClient,
    CustomSendResult,
    CustomVerifyResult,
    client_from_attributes,
    custom_profile,
)
from smschannel.providers.custom.inbound import custom_status, parse_custom_feedback, parse_custom_inbound
from smschannel.providers.custom.provider import PROVIDER, CustomProvider

__all__ = [
    "DEFAULT_TOKEN_LIFETIME",
    "PROVIDER",
    "CustomProvider",
    "CustomProviderClient",
    "CustomSendResult",
    "CustomVerifyResult",
    "client_from_attributes",
    "custom_profile",
    "custom_status",
    "parse_custom_feedback",
    "parse_custom_inbound",
]
