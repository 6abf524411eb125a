"""The example stack: Twilio and Sinch credentials (secrets from environment variables) and two
channel configurations. `make demo` runs it against the local registry and local vendors.

The registry's address and token come from SMSCHANNEL_ENDPOINT and SMSCHANNEL_TOKEN; the account
identifiers below default to the accounts `smschannel up` seeds.
"""

from __future__ import annotations

import os

from cdktf import App, LocalBackend, TerraformStack
from constructs import Construct

from smschannel.constructs import ChannelConfiguration, SinchCredentials, SmschannelProvider, TwilioCredentials


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


class ChannelStack(TerraformStack):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        LocalBackend(self, path="terraform.tfstate")
        SmschannelProvider(self, "smschannel")  # endpoint, token and sandbox from SMSCHANNEL_* variables

        twilio = TwilioCredentials(
            self, "twilio",
            name="twilio-main",
            account_sid=setting("TWILIO_ACCOUNT_SID", "ACcd613e30d8f16adf91b7584a2265b1f5"),
            auth_token_env="TWILIO_AUTH_TOKEN",
        )
        sinch = SinchCredentials(
            self, "sinch",
            name="sinch-main",
            service_plan_id=setting("SINCH_SERVICE_PLAN_ID", "d95bafc8f2a4d27bdcf4bb99f4bea973"),
            api_token_env="SINCH_API_TOKEN",
            region="us",
        )
        ChannelConfiguration(
            self, "marketing_us",
            name="marketing-us",
            description="Marketing campaigns to US numbers",
            channel="sms",
            sms_type="marketing",
            credentials_id=twilio.id,
            sender_number=setting("TWILIO_NUMBER", "+14155550100"),
        )
        ChannelConfiguration(
            self, "alerts",
            name="transactional-alerts",
            channel="sms",
            sms_type="transactional",
            credentials_id=sinch.id,
            sender_number=setting("SINCH_NUMBER", "+14155550150"),
        )


app = App()
ChannelStack(app, "channels")
app.synth()
