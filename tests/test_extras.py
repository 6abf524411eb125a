"""Synthesizing and planning need only the core dependencies; the registry's packages come with the
`serve` extra. Proven by running the CLI with those packages made unimportable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from smschannel.cli import SERVE_EXTRA
from tests.support import ANSI

ROOT = Path(__file__).resolve().parents[1]
BLOCKER = f'''
import importlib.abc, sys

class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {SERVE_EXTRA!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _NotInstalled())
'''
STACK = '''
from cdktf import App, LocalBackend, TerraformStack
import smschannel.constructs  # noqa: F401
from smschannel.constructs import SmschannelProvider, TwilioCredentials

app = App()
stack = TerraformStack(app, "core")
LocalBackend(stack, path="terraform.tfstate")
SmschannelProvider(stack, "smschannel")
TwilioCredentials(stack, "tw", name="core-only", account_sid="{sid}", auth_token_env="TWILIO_AUTH_TOKEN")
app.synth()
'''


def without_serve(tmp_path: Path) -> dict[str, str]:
    """An environment where importing a `serve` package fails, in every Python process it starts."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(BLOCKER)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}


def test_the_blocker_blocks(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import fastapi"], env=without_serve(tmp_path),
                          capture_output=True, text=True)
    assert done.returncode == 1 and "No module named 'fastapi'" in done.stderr


@pytest.mark.parametrize("command", [["serve"], ["up"], ["token", "create", "ci", "--scope", "consent.read"]])
def test_registry_commands_name_the_missing_extra(tmp_path: Path, command: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "smschannel.cli", *command], cwd=tmp_path,
                          env=without_serve(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "pip install 'smschannel[serve]'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.terraform
def test_synth_and_plan_need_only_the_core(tmp_path: Path, facts: dict[str, Any], sandbox: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "cdktf.json").write_text(json.dumps({"language": "python", "app": "python3 main.py"}))
    (project / "main.py").write_text(STACK.format(sid=facts["vendors"]["twilio"]["account_sid"]))
    env = {**without_serve(tmp_path), **facts["env"], "SMSCHANNEL_SANDBOX": sandbox}
    done = subprocess.run([sys.executable, "-m", "smschannel.cli", "plan", "--detailed-exitcode"], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr  # a plan with one object to create
    assert "smschannel_twilio_credentials.tw will be created" in ANSI.sub("", done.stdout)
