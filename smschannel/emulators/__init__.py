"""Local vendor endpoints (Twilio, Sinch) that answer smschannel's calls like the real APIs.

Used by `smschannel up`, the demo and the tests. Not on the Terraform provider's import path.

    state = TwilioState()
    facts = seed_twilio(state, 0)
    with LocalServer(create_twilio_app(state)) as server:
        TwilioClient(facts["account_sid"], facts["auth_token"], base_url=server.url,
                     messaging_base_url=server.url).verify()
"""

from __future__ import annotations

from ._control import Fault, RecordedRequest
from .server import LocalServer
from .sinch import create_sinch_app
from .sinch_state import SinchSeed, SinchServicePlan, SinchState, seed_sinch
from .twilio import create_twilio_app
from .twilio_state import (
    TwilioAccountRecord,
    TwilioMessageRecord,
    TwilioNumberRecord,
    TwilioSeed,
    TwilioServiceRecord,
    TwilioState,
    seed_twilio,
)

__all__ = [
    "Fault",
    "LocalServer",
    "RecordedRequest",
    "SinchSeed",
    "SinchServicePlan",
    "SinchState",
    "TwilioAccountRecord",
    "TwilioMessageRecord",
    "TwilioNumberRecord",
    "TwilioSeed",
    "TwilioServiceRecord",
    "TwilioState",
    "create_sinch_app",
    "create_twilio_app",
    "seed_sinch",
    "seed_twilio",
]
