"""CDKTF constructs: real synth, the JSON applied by real Terraform, and mistakes refused at synth."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from cdktf import App, LocalBackend, TerraformStack

import smschannel.constructs  # noqa: F401  (quiets jsii before cdktf starts Node)
from smschannel.constructs import ChannelConfiguration, SinchCredentials, SmschannelProvider, TwilioCredentials
from smschannel.errors import ValidationFailed
from smschannel.registry_client import RegistryClient
from tests.support import Workspace


def build(outdir: Path, facts: dict[str, Any]) -> Path:
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, "channels")
    LocalBackend(stack, path="terraform.tfstate")
    SmschannelProvider(stack, "smschannel")
    twilio = TwilioCredentials(stack, "twilio", name="twilio-main", auth_token_env="TWILIO_AUTH_TOKEN",
                               account_sid=facts["vendors"]["twilio"]["account_sid"])
    sinch = SinchCredentials(stack, "sinch", name="sinch-main",
                             service_plan_id=facts["vendors"]["sinch"]["service_plan_id"],
                             api_token_env="SINCH_API_TOKEN")
    ChannelConfiguration(stack, "marketing", name="marketing-us", channel="sms", sms_type="marketing",
                         credentials_id=twilio, sender_number="+14155550100")
    ChannelConfiguration(stack, "alerts", name="alerts", channel="sms", sms_type="transactional",
                         credentials_id=sinch.id, sender_number=facts["vendors"]["sinch"]["phone_numbers"][0])
    app.synth()
    return outdir / "stacks" / "channels"


def test_synthesized_stack_applies(tmp_path: Path, tf_home: Path, env: dict[str, str], facts: dict[str, Any],
                                   registry: RegistryClient) -> None:
    stack_dir = build(tmp_path / "cdktf.out", facts)
    document = json.loads((stack_dir / "cdk.tf.json").read_text())
    configs = document["resource"]["smschannel_configuration"]
    # A construct passed as credentials and a `.id` token both become Terraform references.
    assert configs["marketing"]["credentials_id"] == "${smschannel_twilio_credentials.twilio.id}"
    assert configs["alerts"]["credentials_id"] == "${smschannel_sinch_credentials.sinch.id}"
    assert document["terraform"]["required_providers"]["smschannel"]["source"] == "smschannel/smschannel"

    workspace = Workspace(stack_dir, tf_home, env)
    applied = workspace.apply()
    assert "Resources: 4 added" in applied.output
    assert workspace.plan().code == 0
    assert sorted(c["status"] for c in registry.list("configuration")) == ["active", "active"]


def test_invalid_props_fail_in_the_constructor(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "s")
    with pytest.raises(ValidationFailed) as caught:
        TwilioCredentials(stack, "tw", name="x", account_sid="AC12", auth_tokn="x")  # type: ignore[arg-type]
    assert str(caught.value).splitlines() == [
        'smschannel_twilio_credentials.tw: auth_tokn is not an attribute of smschannel_twilio_credentials; '
        'did you mean "auth_token"?',
        'smschannel_twilio_credentials.tw: account_sid must be "AC" followed by 32 hex digits (a Twilio account '
        'SID), got "AC12"',
        "smschannel_twilio_credentials.tw: auth_token_env (recommended) or auth_token is required",
    ]
    with pytest.raises(ValidationFailed, match=r"^smschannel_configuration.c: status is computed by smschannel"):
        ChannelConfiguration(stack, "c", status="active", name="c", channel="sms", sms_type="marketing",  # type: ignore[arg-type]
                             credentials_id="x", sender_number="+14155550100")


def test_a_bad_prop_ends_synth_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(textwrap.dedent('''
        import smschannel.constructs
        from cdktf import App, TerraformStack
        from smschannel.constructs import ChannelConfiguration
        app = App(outdir="out")
        stack = TerraformStack(app, "s")
        ChannelConfiguration(stack, "bad", name="m2", channel="sms", sms_type="marketing",
                             credentials_id="twicre_1", sender_number="4155")
        app.synth()
    '''))
    done = subprocess.run([sys.executable, "app.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: smschannel_configuration.bad: sender_number must be an E.164 number (starting with +), a short "
        'code of 5-6 digits or an alphanumeric sender ID of 1-11 characters, got "4155" (4 digits)'
    )


def test_construct_signature_and_docs_come_from_the_model() -> None:
    import inspect

    from smschannel.model import ConfigurationModel
    from smschannel.model.base import attribute_specs

    params = inspect.signature(ChannelConfiguration.__init__).parameters
    inputs = [s for s in attribute_specs(ConfigurationModel) if s.is_input]
    assert list(params) == ["self", "scope", "id", *(s.name for s in inputs if s.required),
                            *(s.name for s in inputs if not s.required),
                            "depends_on", "count", "for_each", "lifecycle", "provider", "unknown"]
    assert params["name"].default is inspect.Parameter.empty and params["execution_field"].default is None
    doc = " ".join((ChannelConfiguration.__init__.__doc__ or "").split())
    assert "execution_field (string, optional): The profile attribute that holds the number" in doc
    assert "When unset, `mobilePhone.number`." in doc
