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
from .custom_provider import create_custom_provider_app
from .custom_provider_state import (
    CustomAppRecord,
    CustomMessageRecord,
    CustomProviderFacts,
    CustomProviderSeed,
    CustomProviderState,
    seed_custom_providers,
)
from .custom_provider_tls import CustomProviderPki, HttpsLocalServer, LocalCustomProvider, create_throwaway_pki
from .infobip import create_infobip_app
from .infobip_state import (
    InfobipAccountRecord,
    InfobipConfigurationRecord,
    InfobipNumberRecord,
    InfobipSeed,
    InfobipState,
    seed_infobip,
)
from .local_vendors import LocalVendorFacts, LocalVendors
from .server import LocalServer
from .sinch import create_sinch_app
from .sinch_conversation import create_sinch_conversation_app
from .sinch_conversation_state import (
    SinchConversationAppRecord,
    SinchConversationProjectRecord,
    SinchConversationSeed,
    SinchConversationState,
    seed_sinch_conversation,
)
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
    "CustomAppRecord",
    "CustomMessageRecord",
    "CustomProviderFacts",
    "CustomProviderPki",
    "CustomProviderSeed",
    "CustomProviderState",
    "Fault",
    "HttpsLocalServer",
    "InfobipAccountRecord",
    "InfobipConfigurationRecord",
    "InfobipNumberRecord",
    "InfobipSeed",
    "InfobipState",
    "LocalCustomProvider",
    "LocalServer",
    "LocalVendorFacts",
    "LocalVendors",
    "RecordedRequest",
    "SinchConversationAppRecord",
    "SinchConversationProjectRecord",
    "SinchConversationSeed",
    "SinchConversationState",
    "SinchSeed",
    "SinchServicePlan",
    "SinchState",
    "TwilioAccountRecord",
    "TwilioMessageRecord",
    "TwilioNumberRecord",
    "TwilioSeed",
    "TwilioServiceRecord",
    "TwilioState",
    "create_custom_provider_app",
    "create_infobip_app",
    "create_sinch_app",
    "create_sinch_conversation_app",
    "create_throwaway_pki",
    "create_twilio_app",
    "seed_custom_providers",
    "seed_infobip",
    "seed_sinch",
    "seed_sinch_conversation",
    "seed_twilio",
]
