"""The example stack: every vendor's credentials (secrets from environment variables), an inbound
webhook with keyword rules and fuzzy opt-out, an SMS subdomain, and configurations of all three
channels. `make demo` runs it against the local registry and local vendors.

The registry's address and token come from SMSCHANNEL_ENDPOINT and SMSCHANNEL_TOKEN; the account
identifiers default to the accounts `smschannel up` seeds (`make demo` exports the rest).
"""

from __future__ import annotations

import os

from cdktf import App, LocalBackend, TerraformOutput, TerraformStack
from constructs import Construct

# Its excepthook turns a refused prop into one line at synth (smschannel synth also quiets jsii's Node notice).
import smschannel.constructs  # noqa: F401
from smschannel.constructs import (
    ChannelConfiguration,
    CustomCredentials,
    InfobipCredentials,
    SinchCredentials,
    SinchMmsCredentials,
    SinchRcsCredentials,
    SmschannelProvider,
    Subdomain,
    TwilioCredentials,
    Webhook,
)


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
        project = setting("SINCH_PROJECT_ID", "b8a1abcd-1a69-46c7-8da4-f9fc3c6da5d7")
        mms = SinchMmsCredentials(
            self, "sinch_mms",
            name="sinch-mms",
            project_id=project,
            app_id=setting("SINCH_MMS_APP_ID", "0141SJ3EQHB6GD1GHCAKJQ5NRF"),
            api_token_env="SINCH_MMS_API_TOKEN",
        )
        rcs = SinchRcsCredentials(
            self, "sinch_rcs",
            name="sinch-rcs",
            project_id=project,
            app_id=setting("SINCH_RCS_APP_ID", "01BFYH5K0JKCTVJVWAEKG252XH"),
            api_token_env="SINCH_RCS_API_TOKEN",
            service_plan_id=setting("SINCH_SERVICE_PLAN_ID", "d95bafc8f2a4d27bdcf4bb99f4bea973"),
            sms_api_token_env="SINCH_SMS_API_TOKEN",
            rate_limit_rps=20,
        )
        infobip = InfobipCredentials(
            self, "infobip",
            name="infobip-main",
            base_url=setting("INFOBIP_BASE_URL", "https://xxxx.api.infobip.com"),
            api_key_env="INFOBIP_API_KEY",
            validity_period_hours=24,
        )
        custom = CustomCredentials(
            self, "custom",
            name="acme-sms",
            provider_name="Acme SMS",
            provider_app_id=setting("CUSTOM_APP_ID", "app-acme"),
            provider_url=setting("CUSTOM_PROVIDER_URL", "https://api.acme-sms.example/v1/messages"),
            verify_url=setting("CUSTOM_VERIFY_URL", "https://api.acme-sms.example/v1/verify"),
            auth_type="bearer",
            api_token_env="CUSTOM_API_TOKEN",
            payload_template='{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}", '
                             '"authOption": "bearer"}',
            headers={"X-Campaign-Source": "smschannel"},
            rate_limit_rps=10,
        )

        inbound = Webhook(
            self, "inbound",
            name="inbound-us",
            vendor="twilio",
            credentials_id=twilio.id,
            sender_number=setting("TWILIO_NUMBER", "+14155550100"),
            opt_out={"keywords": ["STOP", "STOPALL", "CANCEL", "END", "QUIT", "UNSUBSCRIBE"],
                     "reply": "Acme: you are unsubscribed and will get no more messages. Reply START to resume."},
            opt_in={"keywords": ["START", "YES", "UNSTOP"], "reply": "Acme: welcome back! Reply STOP to end."},
            help={"keywords": ["HELP", "INFO"], "reply": "Acme alerts: up to 4 msgs/month. Reply STOP to end."},
            fuzzy_opt_out=True,
            fuzzy_auto_reply="Acme: did you mean to unsubscribe? Reply YES to confirm.",
            default_reply="Acme: this number is not monitored. Reply HELP for help or STOP to end.",
        )
        links = Subdomain(self, "links", mode="delegated", prefix="go", parent_domain="links.smschannel.test")

        ChannelConfiguration(
            self, "marketing_us",
            name="marketing-us",
            description="Marketing campaigns to US numbers, with short links",
            channel="sms",
            sms_type="marketing",
            credentials_id=twilio.id,
            sender_number=setting("TWILIO_NUMBER", "+14155550100"),
            subdomain_id=links.id,
        )
        ChannelConfiguration(
            self, "alerts",
            name="transactional-alerts",
            channel="sms",
            sms_type="transactional",
            credentials_id=sinch.id,
            sender_number=setting("SINCH_NUMBER", "+14155550150"),
        )
        ChannelConfiguration(
            self, "eu_offers",
            name="eu-offers",
            channel="sms",
            sms_type="marketing",
            credentials_id=infobip.id,
            sender_number=setting("INFOBIP_NUMBER", "+14155550170"),
        )
        ChannelConfiguration(
            self, "picture_offers",
            name="picture-offers",
            channel="mms",
            sms_type="marketing",
            credentials_id=mms.id,
            sender_number=setting("SINCH_NUMBER", "+14155550150"),
        )
        ChannelConfiguration(
            self, "rich_offers",
            name="rich-offers",
            channel="rcs",
            sms_type="marketing",
            credentials_id=rcs.id,
            sender_number=setting("SINCH_NUMBER", "+14155550150"),
        )
        ChannelConfiguration(
            self, "partner_sms",
            name="partner-sms",
            channel="sms",
            sms_type="transactional",
            credentials_id=custom.id,
            sender_number="ACME",
        )
        TerraformOutput(self, "inbound_url", value=inbound.url)


app = App()
ChannelStack(app, "channels")
app.synth()
