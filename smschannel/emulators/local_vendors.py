"""Every local vendor of `smschannel up`, seeded and served on loopback: Twilio, Sinch, Sinch's
Conversation API, Infobip and a custom provider per auth type. `start()` says where each is (the facts
written to endpoints.json), which provider settings point at them, and the variables to export."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smschannel.emulators.custom_provider_tls import LocalCustomProvider
from smschannel.emulators.infobip import create_infobip_app
from smschannel.emulators.infobip_state import InfobipState, seed_infobip
from smschannel.emulators.server import LocalServer
from smschannel.emulators.sinch import create_sinch_app
from smschannel.emulators.sinch_conversation import create_sinch_conversation_app
from smschannel.emulators.sinch_conversation_state import SinchConversationState, seed_sinch_conversation
from smschannel.emulators.sinch_state import SinchState, seed_sinch
from smschannel.emulators.twilio import create_twilio_app
from smschannel.emulators.twilio_state import TwilioState, seed_twilio

TWILIO_SEED = 1
SINCH_SEED = 2
INFOBIP_SEED = 3
CONVERSATION_SEED = 4
CUSTOM_SEED = 5


@dataclass(frozen=True)
class LocalVendorFacts:
    vendors: dict[str, Any]
    """Per local vendor: its URL and seeded accounts (the `vendors` of endpoints.json)."""
    endpoints: dict[str, str]
    """Provider settings (`twilio_url`, ...) that point smschannel at the local vendors."""
    env: dict[str, str]
    """The seeded accounts' IDs and secrets under the variable names the examples use."""


@dataclass
class LocalVendors:
    state_dir: Path
    twilio: TwilioState = field(default_factory=TwilioState)
    sinch: SinchState = field(default_factory=SinchState)
    infobip: InfobipState = field(default_factory=InfobipState)
    conversation: SinchConversationState = field(default_factory=SinchConversationState)
    custom: LocalCustomProvider | None = None
    servers: list[LocalServer] = field(default_factory=list)

    def start(self) -> LocalVendorFacts:
        twilio_seed = seed_twilio(self.twilio, TWILIO_SEED)
        sinch_seed = seed_sinch(self.sinch, SINCH_SEED)
        infobip_seed = seed_infobip(self.infobip, INFOBIP_SEED)
        conversation_seed = seed_sinch_conversation(self.conversation, CONVERSATION_SEED)
        twilio_url = self._serve(create_twilio_app(self.twilio))
        sinch_url = self._serve(create_sinch_app(self.sinch))
        infobip_url = self._serve(create_infobip_app(self.infobip))
        conversation_url = self._serve(create_sinch_conversation_app(self.conversation))
        self.custom = LocalCustomProvider(tls_dir=self.state_dir / "custom-provider-tls", seed=CUSTOM_SEED)
        custom = self.custom.start()
        bearer = custom["providers"]["bearer"]
        return LocalVendorFacts(
            vendors={
                "twilio": {"url": twilio_url, **twilio_seed},
                "sinch": {"url": sinch_url, **sinch_seed},
                "infobip": {"url": infobip_url, "base_url": infobip_url, **infobip_seed},
                "sinch_conversation": {"url": conversation_url, **conversation_seed},
                "custom": custom,
            },
            endpoints={"twilio_url": twilio_url, "twilio_messaging_url": twilio_url, "sinch_url": sinch_url,
                       "sinch_conversation_url": conversation_url},
            env={
                "TWILIO_ACCOUNT_SID": twilio_seed["account_sid"],
                "TWILIO_AUTH_TOKEN": twilio_seed["auth_token"],
                "TWILIO_NUMBER": twilio_seed["phone_numbers"][0],
                "SINCH_SERVICE_PLAN_ID": sinch_seed["service_plan_id"],
                "SINCH_API_TOKEN": sinch_seed["api_token"],
                "SINCH_NUMBER": sinch_seed["phone_numbers"][0],
                "INFOBIP_BASE_URL": infobip_url,
                "INFOBIP_API_KEY": infobip_seed["api_key"],
                "INFOBIP_NUMBER": infobip_seed["phone_numbers"][0],
                "SINCH_PROJECT_ID": conversation_seed["project_id"],
                "SINCH_MMS_APP_ID": conversation_seed["mms_app_id"],
                "SINCH_RCS_APP_ID": conversation_seed["rcs_app_id"],
                "SINCH_MMS_API_TOKEN": conversation_seed["api_token"],
                "SINCH_RCS_API_TOKEN": conversation_seed["api_token"],
                "SINCH_SMS_API_TOKEN": sinch_seed["api_token"],
                "CUSTOM_PROVIDER_URL": str(bearer["provider_url"]),
                "CUSTOM_VERIFY_URL": str(bearer["verify_url"]),
                "CUSTOM_APP_ID": str(bearer["provider_app_id"]),
                "CUSTOM_API_TOKEN": str(bearer["api_token"]),
            },
        )

    def _serve(self, app: Any) -> str:
        server = LocalServer(app).start()
        self.servers.append(server)
        return server.url

    def stop(self) -> None:
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()
        if self.custom is not None:
            self.custom.stop()
            self.custom = None


__all__ = ["LocalVendorFacts", "LocalVendors"]
