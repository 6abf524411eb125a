"""The `Webhook` construct with a `locale`: synthesized, applied by real Terraform, and the registry then
deciding French messages in French; mistakes refused in the constructor."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from cdktf import App, LocalBackend, TerraformStack

import smschannel.constructs  # noqa: F401  (quiets jsii before cdktf starts Node)
from smschannel.constructs import SmschannelProvider, TwilioCredentials, Webhook
from smschannel.errors import ValidationFailed
from smschannel.local import LocalStack
from smschannel.registry_client import RegistryClient
from tests.e2e.test_inbound import PROFILE, twilio_post
from tests.support import Workspace, settled

AUTO_REPLY = "Voulez-vous ne plus recevoir nos SMS ? Répondez OUI."
OPT_OUT_REPLY = "Vous ne recevrez plus nos SMS."


def build(outdir: Path, facts: dict[str, Any]) -> Path:
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, "channels")
    LocalBackend(stack, path="terraform.tfstate")
    SmschannelProvider(stack, "smschannel")
    twilio = TwilioCredentials(stack, "twilio", name="twilio-main", auth_token_env="TWILIO_AUTH_TOKEN",
                               account_sid=facts["vendors"]["twilio"]["account_sid"])
    Webhook(stack, "inbound_fr", name="inbound-fr", vendor="twilio", credentials_id=twilio.id,
            sender_number=facts["vendors"]["twilio"]["phone_numbers"][0], locale="fr",
            opt_out={"keywords": ["STOP", "ARRET"], "reply": OPT_OUT_REPLY},
            fuzzy_opt_out=True, fuzzy_auto_reply=AUTO_REPLY)
    app.synth()
    return outdir / "stacks" / "channels"


def test_a_french_webhook_synthesized_applied_and_answering_in_french(
        tmp_path: Path, tf_home: Path, env: dict[str, str], facts: dict[str, Any], registry: RegistryClient,
        local_stack: LocalStack) -> None:
    stack_dir = build(tmp_path / "cdktf.out", facts)
    document = json.loads((stack_dir / "cdk.tf.json").read_text())
    assert document["resource"]["smschannel_webhook"]["inbound_fr"]["locale"] == "fr"

    workspace = Workspace(stack_dir, tf_home, env)
    workspace.apply()
    assert workspace.plan().code == 0
    state = workspace.state()["smschannel_webhook.inbound_fr"]
    assert (state["locale"], state["fuzzy_confirm_keywords"]) == ("fr", None)

    webhook = registry.get("webhook", state["id"])
    sent = len(local_stack.vendors.twilio.outbox)
    for index, text in enumerate(["Ne m'envoyez plus de messages", "OUI"]):
        assert twilio_post(facts, webhook, text, f"SM{index + 200:032d}").status_code == 200
    settled(registry, PROFILE)  # replies leave through the outbox, after the webhook answers
    replies = [m for m in local_stack.vendors.twilio.outbox[sent:] if m.to == PROFILE]
    assert [m.body for m in replies] == [AUTO_REPLY, OPT_OUT_REPLY]
    workspace.destroy()


def test_locale_mistakes_are_refused_in_the_constructor(tmp_path: Path) -> None:
    stack = TerraformStack(App(outdir=str(tmp_path)), "s")
    common: dict[str, Any] = {"name": "in", "vendor": "twilio", "credentials_id": "twcred_0123456789abcdef",
                              "sender_number": "+14155550100"}
    with pytest.raises(ValidationFailed) as caught:
        Webhook(stack, "unknown", locale="fr-CA", **common)
    assert str(caught.value) == (
        'smschannel_webhook.unknown: locale must be one of en, fr, es, de, pt or it, got "fr-CA"')
    with pytest.raises(ValidationFailed) as caught:
        Webhook(stack, "twice", locale="de", help={"keywords": ["HILFE", "Stopp"]}, **common)
    assert str(caught.value) == (
        "smschannel_webhook.twice: help.keywords: STOPP is already an opt_out keyword (opt_out keeps its default "
        'keywords of locale "de" because it is not declared); a keyword may sit in one category only')


def test_the_construct_takes_locale_from_the_model() -> None:
    params = inspect.signature(Webhook.__init__).parameters
    assert params["locale"].default is None
    assert "locale (string, optional): The language of the people who write to this webhook" in (
        Webhook.__init__.__doc__ or "")
