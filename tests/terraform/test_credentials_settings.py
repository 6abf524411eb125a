"""Credentials settings checked when the plan runs, through real Terraform in plain HCL: an `inbound_number`
that is not a number of the vendor account fails the pull request's plan, not the apply."""

from __future__ import annotations

from typing import Any

from tests.support import Workspace
from tests.terraform.test_channel_admin import HEADER


def twilio(facts: dict[str, Any], inbound: str) -> str:
    return HEADER + f'''
resource "smschannel_twilio_credentials" "main" {{
  name           = "main"
  account_sid    = "{facts["vendors"]["twilio"]["account_sid"]}"
  auth_token_env = "TWILIO_AUTH_TOKEN"
  inbound_number = "{inbound}"
}}
'''


def test_an_inbound_number_not_of_the_account_fails_the_plan(workspace: Workspace, facts: dict[str, Any]) -> None:
    account = facts["vendors"]["twilio"]["account_sid"]
    workspace.write_hcl(twilio(facts, "+14155550177"))
    refused = workspace.plan()
    assert refused.code == 1 and "Error: Inbound number not of the account" in refused.output, str(refused)
    assert (f'smschannel_twilio_credentials "main": inbound_number: the sender number +14155550177 does not belong '
            f"to the Twilio account {account}" in refused.flat)

    workspace.write_hcl(twilio(facts, facts["vendors"]["twilio"]["phone_numbers"][1]))
    workspace.apply()
    assert workspace.plan().code == 0
    workspace.write_hcl(twilio(facts, "+14155550199"))  # changing it asks again
    assert "Error: Inbound number not of the account" in workspace.plan().output
