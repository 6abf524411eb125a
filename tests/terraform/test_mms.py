"""MMS through real Terraform in plain HCL: an MMS configuration's sender checked at the vendor when the
plan runs, and reply media checked against the webhook's credentials."""

from __future__ import annotations

from typing import Any

from smschannel.registry_client import RegistryClient
from tests.support import Workspace
from tests.terraform.test_channel_admin import HEADER


def credentials_hcl(facts: dict[str, Any]) -> str:
    return HEADER + f'''
resource "smschannel_twilio_credentials" "main" {{
  name           = "main"
  account_sid    = "{facts["vendors"]["twilio"]["account_sid"]}"
  auth_token_env = "TWILIO_AUTH_TOKEN"
}}

resource "smschannel_sinch_credentials" "main" {{
  name            = "main"
  service_plan_id = "{facts["vendors"]["sinch"]["service_plan_id"]}"
  api_token_env   = "SINCH_API_TOKEN"
}}
'''


def mms_config(sender: str) -> str:
    return f'''
resource "smschannel_configuration" "pictures" {{
  name           = "pictures"
  channel        = "mms"
  sms_type       = "marketing"
  credentials_id = smschannel_twilio_credentials.main.id
  sender_number  = "{sender}"
}}
'''


def webhook(credentials: str, vendor: str, sender: str, media: str) -> str:
    return f'''
resource "smschannel_webhook" "in" {{
  name           = "in"
  vendor         = "{vendor}"
  credentials_id = {credentials}.id
  sender_number  = "{sender}"
  opt_out {{
    keywords = ["STOP"]
    reply    = "You are unsubscribed."
    media    = {media}
  }}
}}
'''


def test_an_mms_sender_is_checked_at_the_vendor_when_the_plan_runs(workspace: Workspace, facts: dict[str, Any],
                                                                   registry: RegistryClient) -> None:
    twilio = facts["vendors"]["twilio"]
    workspace.write_hcl(credentials_hcl(facts))
    workspace.apply()
    workspace.write_hcl(credentials_hcl(facts) + mms_config(twilio["sms_only_number"]))
    refused = workspace.plan()
    assert refused.code == 1, str(refused)
    assert "Error: Sender cannot send MMS" in refused.output
    assert (f'smschannel_configuration "pictures": sender_number: the sender number {twilio["sms_only_number"]} of '
            f'the Twilio account {twilio["account_sid"]} is not MMS-capable (Twilio says it can do: sms, voice)'
            in refused.flat)

    workspace.write_hcl(credentials_hcl(facts) + mms_config(twilio["phone_numbers"][0]))
    workspace.apply()
    made = workspace.state()["smschannel_configuration.pictures"]
    assert (made["channel"], made["status"]) == ("mms", "active")
    assert workspace.plan().code == 0


def test_reply_media_fit_the_webhook_s_credentials(workspace: Workspace, facts: dict[str, Any]) -> None:
    workspace.write_hcl(credentials_hcl(facts))
    workspace.apply()
    images = '["https://cdn.example.com/stop.png"]'
    workspace.write_hcl(credentials_hcl(facts) + webhook("smschannel_sinch_credentials.main", "sinch",
                                                         facts["vendors"]["sinch"]["phone_numbers"][0], images))
    refused = workspace.plan()
    assert refused.code == 1 and "Error: Reply media the credentials cannot send" in refused.output, str(refused)
    assert ('smschannel_webhook "in": opt_out.media: Sinch credentials send text replies only; images need Infobip '
            "credentials or Sinch MMS credentials or Sinch RCS credentials or Twilio credentials" in refused.flat)

    bad_url = '["http://cdn.example.com/stop.png"]'
    workspace.write_hcl(credentials_hcl(facts) + webhook("smschannel_twilio_credentials.main", "twilio",
                                                         facts["vendors"]["twilio"]["phone_numbers"][0], bad_url))
    invalid = workspace.plan()
    assert invalid.code == 1 and "Error: Invalid opt_out.media" in invalid.output, str(invalid)
    assert ('smschannel_webhook "in": opt_out.media must use https:// (http:// is allowed only for loopback '
            'hosts), got "http://cdn.example.com/stop.png"' in invalid.flat)

    workspace.write_hcl(credentials_hcl(facts) + webhook("smschannel_twilio_credentials.main", "twilio",
                                                         facts["vendors"]["twilio"]["phone_numbers"][0], images))
    planned = workspace.plan()
    assert planned.code == 2 and '"opt_out" = "GSM-7, 1 segment, MMS with 1 image"' in planned.output, str(planned)
    workspace.apply()
    assert workspace.plan().code == 0
