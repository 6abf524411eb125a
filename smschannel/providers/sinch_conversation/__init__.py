"""Sinch's Conversation API (MMS and RCS): its client, its callback format, and the `SmsProvider`."""

from __future__ import annotations

from smschannel.providers.sinch_conversation.client import (
    SINCH_CONVERSATION_REGIONS,
    SinchConversationApp,
    SinchConversationClient,
    SinchConversationMessage,
    sinch_conversation_base_url,
)
from smschannel.providers.sinch_conversation.inbound import parse_conversation_inbound
from smschannel.providers.sinch_conversation.provider import PROVIDER, SinchConversationProvider

__all__ = [
    "PROVIDER",
    "SINCH_CONVERSATION_REGIONS",
    "SinchConversationApp",
    "SinchConversationClient",
    "SinchConversationMessage",
    "SinchConversationProvider",
    "parse_conversation_inbound",
    "sinch_conversation_base_url",
]
