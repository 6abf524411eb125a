"""`smschannel apply` (without a saved plan) and `smschannel destroy` on a terminal: they show the plan and
ask, as Terraform does; only `yes` goes on, and what is applied is the plan that was shown."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from smschannel.registry_client import RegistryClient
from tests.support import ANSI

APP = '''
from cdktf import App, LocalBackend, TerraformStack
from smschannel.constructs import SmschannelProvider, TwilioCredentials

app = App()
stack = TerraformStack(app, "channels")
LocalBackend(stack, path="terraform.tfstate")
SmschannelProvider(stack, "smschannel")
TwilioCredentials(stack, "twilio", name="twilio-main", account_sid="{account_sid}", auth_token_env="TWILIO_AUTH_TOKEN")
app.synth()
'''


def on_a_terminal(args: list[str], cwd: Path, env: dict[str, str], answer: str) -> tuple[int, str]:
    """Run smschannel with a terminal as stdin and stdout; type `answer` at the prompt."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "smschannel.cli", *args], cwd=cwd, env=env,
                               stdin=secondary, stdout=secondary, stderr=secondary, close_fds=True)
    os.close(secondary)
    seen = b""
    answered = False
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the other side closed: the command ended
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"Enter a value:" in seen:
            os.write(primary, answer.encode() + b"\n")
            answered = True
        if process.poll() is not None and not ready:
            break
    os.close(primary)
    code = process.wait(timeout=30)
    return code, ANSI.sub("", seen.decode("utf-8", "replace")).replace("\r", "")


@pytest.mark.terraform
def test_apply_and_destroy_ask_on_a_terminal(tmp_path: Path, facts: dict[str, Any], env: dict[str, str],
                                             registry: RegistryClient) -> None:
    (tmp_path / "main.py").write_text(APP.format(account_sid=facts["vendors"]["twilio"]["account_sid"]))
    (tmp_path / "cdktf.json").write_text(json.dumps({"app": "python3 main.py"}))
    full_env = {**os.environ, **env}

    code, output = on_a_terminal(["apply"], tmp_path, full_env, "no")
    assert code == 1, output
    assert "Plan: 1 to add, 0 to change, 0 to destroy." in output
    assert "Do you want to perform these actions?\n  smschannel will perform the actions described above.\n" \
           "  Only 'yes' will be accepted to approve." in output
    assert output.rstrip().endswith("Error: Apply cancelled.")
    assert registry.list("twilio_credentials") == []

    code, output = on_a_terminal(["apply"], tmp_path, full_env, "yes")
    assert code == 0 and "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." in output, output
    assert [c["name"] for c in registry.list("twilio_credentials")] == ["twilio-main"]

    code, output = on_a_terminal(["destroy"], tmp_path, full_env, "yes")
    assert "Do you really want to destroy all resources?" in output and "There is no undo." in output
    assert code == 0 and "Resources: 0 added, 0 changed, 1 destroyed." in output, output
    assert registry.list("twilio_credentials") == []
