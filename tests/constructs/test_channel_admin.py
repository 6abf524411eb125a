"""The constructs of channel admin: sender rules per country refused at synth, and channel settings plus a
disabled configuration synthesized and applied by real Terraform."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cdktf import App, LocalBackend, TerraformStack

import smschannel.constructs  # noqa: F401  (quiets jsii before cdktf starts Node)
from smschannel.constructs import (
    ChannelConfiguration,
    ChannelSettings,
    SmschannelProvider,
    TwilioCredentials,
    Webhook,
)
from smschannel.errors import ValidationFailed
from smschannel.registry_client import RegistryClient
from tests.support import Workspace


def test_sender_rules_per_country_and_reply_media_fail_at_synth(tmp_path: Path) -> None:
    stack = TerraformStack(App(outdir=str(tmp_path)), "s")
    with pytest.raises(ValidationFailed) as caught:
        ChannelConfiguration(stack, "ca", name="ca", channel="sms", sms_type="marketing", credentials_id="x",
                             sender_number="ACME", countries=["CA", "FR"])
    assert str(caught.value) == (
        'smschannel_configuration.ca: countries: operators in Canada (CA) do not carry alphanumeric sender IDs such '
        'as "ACME": send there from a long code, toll-free number or short code')
    with pytest.raises(ValidationFailed) as caught:
        ChannelConfiguration(stack, "short", name="short", channel="sms", sms_type="marketing", credentials_id="x",
                             sender_number="22345", countries=["GB", "FR"])
    assert str(caught.value) == (
        "smschannel_configuration.short: sender_number: the short code 22345 reaches the subscribers of one country "
        "only, but countries lists GB, FR: declare one configuration per country")
    with pytest.raises(ValidationFailed) as caught:
        Webhook(stack, "bad", name="bad", vendor="twilio", credentials_id="x", sender_number="+14155550100",
                opt_out={"keywords": ["STOP"], "media": ["https://cdn.example.com/stop.png"]})
    assert str(caught.value) == "smschannel_webhook.bad: opt_out.media: a reply with media needs its text in reply too"


def test_settings_and_a_disabled_configuration_synthesize_and_apply(
        tmp_path: Path, tf_home: Path, env: dict[str, str], facts: dict[str, Any], registry: RegistryClient,
        sandbox: str) -> None:
    app = App(outdir=str(tmp_path / "cdktf.out"))
    stack = TerraformStack(app, "channels")
    LocalBackend(stack, path="terraform.tfstate")
    SmschannelProvider(stack, "smschannel")
    ChannelSettings(stack, "settings", execution_field="phones.mobile")
    twilio = TwilioCredentials(stack, "twilio", name="twilio-main", auth_token_env="TWILIO_AUTH_TOKEN",
                               account_sid=facts["vendors"]["twilio"]["account_sid"])
    paused = ChannelConfiguration(stack, "paused", name="paused", channel="sms", sms_type="marketing",
                                  credentials_id=twilio, sender_number="+14155550100", countries=["US", "CA"],
                                  enabled=False)
    assert paused.get_string_attribute("effective_execution_field").startswith("${TfToken")
    ChannelConfiguration(stack, "pictures", name="pictures", channel="mms", sms_type="marketing",
                         credentials_id=twilio, sender_number=facts["vendors"]["twilio"]["phone_numbers"][0])
    Webhook(stack, "inbound", name="inbound", vendor="twilio", credentials_id=twilio,
            sender_number=facts["vendors"]["twilio"]["phone_numbers"][0],
            opt_out={"keywords": ["STOP"], "reply": "You are unsubscribed.",
                     "media": ["https://cdn.example.com/stop.png"]})
    app.synth()
    stack_dir = tmp_path / "cdktf.out" / "stacks" / "channels"
    document = json.loads((stack_dir / "cdk.tf.json").read_text())
    assert document["resource"]["smschannel_channel_settings"]["settings"]["execution_field"] == "phones.mobile"
    assert document["resource"]["smschannel_configuration"]["paused"]["enabled"] is False

    workspace = Workspace(stack_dir, tf_home, env)
    workspace.apply()
    assert workspace.plan().code == 0
    configs = {c["name"]: c for c in registry.list("configuration")}
    assert (configs["paused"]["status"], configs["paused"]["countries"]) == ("deactivated", ["US", "CA"])
    assert configs["paused"]["effective_execution_field"] == "phones.mobile"
    assert (configs["pictures"]["channel"], configs["pictures"]["status"]) == ("mms", "active")
    [hook] = registry.list("webhook")
    assert hook["opt_out"]["media"] == ["https://cdn.example.com/stop.png"]
    assert registry.get("channel_settings", sandbox)["execution_field"] == "phones.mobile"
