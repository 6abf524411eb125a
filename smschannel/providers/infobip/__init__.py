"""Infobip: its REST client, its webhook formats, and the `SmsProvider` that uses them."""

from __future__ import annotations

from smschannel.providers.infobip.client import (
    InfobipBalance,
    InfobipClient,
    InfobipInboundConfiguration,
    InfobipNumber,
    InfobipSentMessage,
    infobip_base_url,
    infobip_number,
)
from smschannel.providers.infobip.inbound import parse_infobip_feedback, parse_infobip_inbound
from smschannel.providers.infobip.provider import PROVIDER, InfobipProvider

__all__ = [
    "PROVIDER",
    "InfobipBalance",
    "InfobipClient",
    "InfobipInboundConfiguration",
    "InfobipNumber",
    "InfobipProvider",
    "InfobipSentMessage",
    "infobip_base_url",
    "infobip_number",
    "parse_infobip_feedback",
    "parse_infobip_inbound",
]
