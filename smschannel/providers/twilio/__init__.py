"""Twilio: its REST client, its webhook formats and signature, and the `SmsProvider` that uses them."""

from __future__ import annotations

from smschannel.providers.twilio.client import (
    TwilioAccount,
    TwilioClient,
    TwilioIncomingNumber,
    TwilioMessage,
    TwilioMessagingService,
    TwilioServiceInbound,
    TwilioServiceNumber,
    TwilioSmsWebhook,
)
from smschannel.providers.twilio.inbound import (
    FormParams,
    parse_twilio_feedback,
    parse_twilio_inbound,
    twilio_signature,
    valid_twilio_signature,
)
from smschannel.providers.twilio.provider import PROVIDER, TWIML, TwilioProvider

__all__ = [
    "PROVIDER",
    "TWIML",
    "FormParams",
    "TwilioAccount",
    "TwilioClient",
    "TwilioIncomingNumber",
    "TwilioMessage",
    "TwilioMessagingService",
    "TwilioProvider",
    "TwilioServiceInbound",
    "TwilioServiceNumber",
    "TwilioSmsWebhook",
    "parse_twilio_feedback",
    "parse_twilio_inbound",
    "twilio_signature",
    "valid_twilio_signature",
]
