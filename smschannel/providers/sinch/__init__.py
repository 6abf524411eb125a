"""Sinch SMS (XMS API): its REST client, its callback formats, and the `SmsProvider` that uses them."""

from __future__ import annotations

from smschannel.model.sinch_credentials import SINCH_REGIONS
from smschannel.providers.sinch.client import SinchBatch, SinchBatchPage, SinchClient, sinch_base_url
from smschannel.providers.sinch.inbound import parse_sinch_callback, parse_sinch_feedback, parse_sinch_inbound
from smschannel.providers.sinch.provider import PROVIDER, SinchProvider

__all__ = [
    "PROVIDER",
    "SINCH_REGIONS",
    "SinchBatch",
    "SinchBatchPage",
    "SinchClient",
    "SinchProvider",
    "parse_sinch_callback",
    "parse_sinch_feedback",
    "parse_sinch_inbound",
    "sinch_base_url",
]
