"""The pull-request flow end to end on a local git repository, with the commands the CI examples run:
branch, plan (saved, with its comment), merge, apply of the saved plan; two pull requests planned from
the same main, where the second plan is refused after the first is applied (stale) and a new plan is
applied instead; a plan made before someone else's apply refused for the state; then a drift run
after a change made outside the code."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from smschannel.registry_client import RegistryClient
from tests.support import ANSI

APP = '''
from cdktf import App, LocalBackend, TerraformStack
from constructs import Construct

from smschannel.constructs import ChannelConfiguration, SmschannelProvider, TwilioCredentials, Webhook


class Channels(TerraformStack):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        LocalBackend(self, path="terraform.tfstate")
        SmschannelProvider(self, "smschannel")
        twilio = TwilioCredentials(self, "twilio", name="twilio-main", account_sid="{account_sid}",
                                   auth_token_env="TWILIO_AUTH_TOKEN")
        Webhook(self, "inbound", name="inbound-us", vendor="twilio", credentials_id=twilio.id,
                sender_number="{number}",
                opt_out={{"keywords": KEYWORDS, "reply": "Acme: unsubscribed. Reply START to resume."}},
                help={{"keywords": ["HELP"], "reply": HELP_REPLY}})
        ChannelConfiguration(self, "marketing", name=CONFIG_NAME, channel="sms", sms_type="marketing",
                             credentials_id=twilio.id, sender_number="{number}")


KEYWORDS = ["STOP", "QUIT"]

CONFIG_NAME = "marketing-us"

HELP_REPLY = "Acme: help at acme.example."

app = App()
Channels(app, "channels")
app.synth()
'''


class Repo:
    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env
        self.outputs: list[str] = []

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=True)
        return done.stdout

    def smschannel(self, *args: str) -> tuple[int, str]:
        done = subprocess.run([sys.executable, "-m", "smschannel.cli", *args], cwd=self.root, env=self.env,
                              capture_output=True, text=True, timeout=300)
        output = ANSI.sub("", done.stdout + done.stderr)
        self.outputs.append(output)
        return done.returncode, output

    def edit(self, **values: Any) -> None:
        text = (self.root / "main.py").read_text()
        for name, value in values.items():
            lines = [f"{name} = {json.dumps(value)}" if line.startswith(f"{name} = ") else line
                     for line in text.splitlines()]
            text = "\n".join(lines) + "\n"
        (self.root / "main.py").write_text(text)

    def branch(self, name: str, message: str, **values: Any) -> None:
        self.git("checkout", "-q", "-b", name, "main")
        self.edit(**values)
        self.git("commit", "-qam", message)

    def merge(self, name: str) -> None:
        self.git("checkout", "-q", "main")
        self.git("merge", "-q", "--no-ff", "-m", f"Merge {name}", name)


@pytest.mark.terraform
@pytest.mark.slow
def test_reviewed_plans_are_applied_stale_ones_refused_and_drift_reported(
        tmp_path: Path, facts: dict[str, Any], env: dict[str, str], registry: RegistryClient) -> None:
    from tests.e2e.test_demo import readable, secrets

    twilio = facts["vendors"]["twilio"]
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.py").write_text(APP.format(account_sid=twilio["account_sid"], number=twilio["phone_numbers"][0]))
    (root / "cdktf.json").write_text(json.dumps({"language": "python", "app": "python3 main.py"}))
    (root / ".gitignore").write_text("cdktf.out/\n.smschannel/\n__pycache__/\n")
    repo = Repo(root, {**__import__("os").environ, **env, "NO_COLOR": "1"})
    repo.git("init", "-q", "-b", "main")
    repo.git("-c", "user.name=ci", "-c", "user.email=ci@example.test", "add", ".")
    for key, value in {"user.name": "ci", "user.email": "ci@example.test"}.items():
        repo.git("config", key, value)
    repo.git("commit", "-qm", "The channels")
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()

    # The first pull request: create everything.
    code, output = repo.smschannel("apply", "--auto-approve")
    assert code == 0 and "Apply complete! Resources: 3 added" in output, output

    # A pull request that updates the webhook's keywords and replaces the configuration.
    repo.branch("keywords", "ARRET opts out; rename the configuration", KEYWORDS=["STOP", "QUIT", "ARRET"],
                CONFIG_NAME="marketing-us-2")
    pr = artifacts / "pr1.tfplan"
    code, output = repo.smschannel("plan", "--out", str(pr), "--summary", str(artifacts / "pr1.md"),
                                   "--detailed-exitcode")
    assert code == 2, output
    comment = (artifacts / "pr1.md").read_text()
    assert comment.startswith("<!-- smschannel:plan stack=channels -->\n")
    assert "**Plan: 0 to add, 1 to change, 1 to replace, 0 to destroy.**" in comment
    assert '`opt_out.keywords`: `["STOP", "QUIT"]` → `["STOP", "QUIT", "ARRET"]`' in comment
    assert '`name`: `"marketing-us"` → `"marketing-us-2"` (forces replacement)' in comment
    for secret in secrets():
        assert secret not in readable(pr) and secret not in comment, "the plan artifact holds a secret"
    with zipfile.ZipFile(pr) as archive:
        assert "tfconfig/m-/cdk.tf.json" in archive.namelist()
    repo.merge("keywords")
    code, output = repo.smschannel("apply", str(pr))
    assert code == 0 and "Apply complete! Resources: 1 added, 1 changed, 1 destroyed." in output, output
    names = sorted(c["name"] for c in registry.list("configuration"))
    assert names == ["marketing-us-2"]

    # Two pull requests planned from the same main: the second plan goes stale once the first is applied.
    repo.branch("help", "A clearer help reply", HELP_REPLY="Acme: help at acme.example, or call us.")
    first = artifacts / "help.tfplan"
    assert repo.smschannel("plan", "--out", str(first), "--detailed-exitcode")[0] == 2
    repo.branch("quit", "QUIT no longer opts out", KEYWORDS=["STOP", "ARRET"])
    second = artifacts / "quit.tfplan"
    assert repo.smschannel("plan", "--out", str(second), "--detailed-exitcode")[0] == 2
    repo.merge("help")
    assert repo.smschannel("apply", str(first))[0] == 0
    repo.merge("quit")
    code, output = repo.smschannel("apply", str(second))
    assert code == 3, output
    assert ("Error: the saved plan quit.tfplan is stale: the code differs from what was planned "
            "(smschannel_webhook.inbound); plan again (smschannel plan --out FILE) and have that plan reviewed "
            "before it is applied") in output
    assert "Apply complete" not in output
    webhook = next(w for w in registry.list("webhook") if w["name"] == "inbound-us")
    assert webhook["opt_out"]["keywords"] == ["STOP", "QUIT", "ARRET"]  # nothing of the stale plan applied

    # Planned again on main (both changes), then applied; a plan made before that apply is stale for the state.
    again = artifacts / "main-again.tfplan"
    early = artifacts / "early.tfplan"
    assert repo.smschannel("plan", "--out", str(again), "--summary", str(artifacts / "again.md"))[0] == 0
    assert repo.smschannel("plan", "--out", str(early))[0] == 0
    assert repo.smschannel("apply", str(again))[0] == 0
    code, output = repo.smschannel("apply", str(early))
    assert code == 3 and "is stale: the state changed since it was made (serial " in output, output
    webhook = next(w for w in registry.list("webhook") if w["name"] == "inbound-us")
    assert webhook["opt_out"]["keywords"] == ["STOP", "ARRET"]
    assert webhook["help"]["reply"] == "Acme: help at acme.example, or call us."

    # The scheduled drift check: someone edits the webhook in the registry by hand.
    assert repo.smschannel("drift", "--summary", str(artifacts / "drift.md"))[0] == 0
    assert "**No drift.**" in (artifacts / "drift.md").read_text()
    registry.update("webhook", webhook["id"], {"default_reply": "Edited by hand."}, {})
    code, output = repo.smschannel("drift", "--summary", str(artifacts / "drift.md"))
    assert code == 2, output
    drift = (artifacts / "drift.md").read_text()
    assert drift.startswith("<!-- smschannel:drift stack=channels -->\n")
    assert '| 🟡 update | `smschannel_webhook.inbound` | `default_reply`: `null` → `"Edited by hand."`' in drift
    assert repo.smschannel("apply", "--auto-approve")[0] == 0
    assert repo.smschannel("drift")[0] == 0
    everything = "\n".join(repo.outputs)
    assert "\x1b[" not in everything  # NO_COLOR: no colour codes anywhere
    assert "Synthesizing the CDKTF app (python3 main.py)..." in everything
    for secret in secrets():
        assert secret not in everything
