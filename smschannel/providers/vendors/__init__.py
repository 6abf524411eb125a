"""One httpx client per SMS vendor, with shared retries, rate limiting and error translation.

Imported by the Terraform provider, which starts several times per plan: only httpx and the
stdlib are imported here.
"""

from __future__ import annotations

from ._http import (
    SYSTEM_CLOCK,
    Backoff,
    Clock,
    RateLimiter,
    VendorFault,
    VendorProfile,
    VendorSession,
    parse_retry_after,
    vendor_errors,
)
from .custom import (
    CustomProviderClient,
    CustomProviderConfig,
    CustomSendResult,
    CustomVerifyResult,
    mtls_ssl_context,
    validate_custom_config,
)
from .infobip import InfobipBalance, InfobipClient, InfobipInboundConfiguration, InfobipNumber, InfobipSentMessage
from .sinch import SINCH_REGIONS, SinchBatch, SinchBatchPage, SinchClient, sinch_base_url
from .sinch_conversation import (
    SINCH_CONVERSATION_REGIONS,
    SinchConversationApp,
    SinchConversationClient,
    SinchConversationMessage,
    sinch_conversation_base_url,
)
from .twilio import (
    TwilioAccount,
    TwilioClient,
    TwilioIncomingNumber,
    TwilioMessage,
    TwilioMessagingService,
    TwilioServiceInbound,
    TwilioServiceNumber,
    TwilioSmsWebhook,
)

__all__ = [
    "SINCH_CONVERSATION_REGIONS",
    "SINCH_REGIONS",
    "SYSTEM_CLOCK",
    "Backoff",
    "Clock",
    "CustomProviderClient",
    "CustomProviderConfig",
    "CustomSendResult",
    "CustomVerifyResult",
    "InfobipBalance",
    "InfobipClient",
    "InfobipInboundConfiguration",
    "InfobipNumber",
    "InfobipSentMessage",
    "RateLimiter",
    "SinchBatch",
    "SinchBatchPage",
    "SinchClient",
    "SinchConversationApp",
    "SinchConversationClient",
    "SinchConversationMessage",
    "TwilioAccount",
    "TwilioClient",
    "TwilioIncomingNumber",
    "TwilioMessage",
    "TwilioMessagingService",
    "TwilioServiceInbound",
    "TwilioServiceNumber",
    "TwilioSmsWebhook",
    "VendorFault",
    "VendorProfile",
    "VendorSession",
    "mtls_ssl_context",
    "parse_retry_after",
    "sinch_base_url",
    "sinch_conversation_base_url",
    "validate_custom_config",
    "vendor_errors",
]
