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
from .sinch import SINCH_REGIONS, SinchBatch, SinchBatchPage, SinchClient, sinch_base_url
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
    "SINCH_REGIONS",
    "SYSTEM_CLOCK",
    "Backoff",
    "Clock",
    "RateLimiter",
    "SinchBatch",
    "SinchBatchPage",
    "SinchClient",
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
    "parse_retry_after",
    "sinch_base_url",
    "vendor_errors",
]
