"""`make demo` from a copy of the project, and proof that no secret given through `_env` lands in the
synthesized JSON, the plan (text, JSON, file), the state, the registry's database or the output."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from smschannel.emulators import (
    InfobipState,
    SinchConversationState,
    SinchState,
    TwilioState,
    seed_infobip,
    seed_sinch,
    seed_sinch_conversation,
    seed_twilio,
)
from smschannel.emulators.local_vendors import CONVERSATION_SEED, CUSTOM_SEED, INFOBIP_SEED, SINCH_SEED, TWILIO_SEED
from tests.support import ANSI

ROOT = Path(__file__).resolve().parents[2]


def secrets() -> list[str]:
    return [seed_twilio(TwilioState(), TWILIO_SEED)["auth_token"], seed_sinch(SinchState(), SINCH_SEED)["api_token"],
            seed_infobip(InfobipState(), INFOBIP_SEED)["api_key"],
            seed_sinch_conversation(SinchConversationState(), CONVERSATION_SEED)["api_token"],
            custom_bearer_token()]


def custom_bearer_token() -> str:
    from smschannel.emulators import CustomProviderState, seed_custom_providers

    facts = seed_custom_providers(CustomProviderState(), CUSTOM_SEED, url="http://127.0.0.1:1")
    return str(facts["providers"]["bearer"]["api_token"])


def readable(path: Path) -> str:
    data = path.read_bytes()
    if zipfile.is_zipfile(path):  # a saved plan: look inside
        with zipfile.ZipFile(path) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    return data.decode("utf-8", "replace")


@pytest.mark.terraform
@pytest.mark.slow
def test_demo_runs_and_leaks_no_secret(tmp_path: Path) -> None:
    for name in ("main.py", "cdktf.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "demo.py", tmp_path / "scripts" / "demo.py")

    done = subprocess.run([sys.executable, "scripts/demo.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)
    output = ANSI.sub("", done.stdout + done.stderr)
    assert done.returncode == 0, output
    assert "Plan: 14 to add, 0 to change, 0 to destroy." in output
    assert "Apply complete! Resources: 14 added, 0 changed, 0 destroyed." in output
    assert "No changes." in output and "no changes: the registry matches the code" in output
    assert output.count("'status': 'active'") == 6 and "'status': 'success'" in output
    decisions = [line for line in output.splitlines() if " from +14155550123: " in line]
    assert decisions == ["'STOP' from +14155550123: opt_out (keyword STOP)",
                         "'CANCIL' from +14155550123: fuzzy_prompt (keyword CANCEL)",
                         "'YES' from +14155550123: opt_out (keyword YES)",
                         "'START' from +14155550123: opt_in (keyword START)",
                         "'HELP' from +14155550123: help (keyword HELP)"]
    assert "consent: opted_out, pending fuzzy_confirm" in output
    assert not (tmp_path / "state" / "demo" / "endpoints.json").exists()  # `up` stopped and cleaned up

    written = [p for p in tmp_path.rglob("*") if p.is_file() and ".terraform/providers" not in str(p)]
    names = {p.name for p in written}
    assert {"cdk.tf.json", "terraform.tfstate", "demo.tfplan", "plan.json", "registry.db"} <= names
    for secret in secrets():
        assert secret not in output
        for path in written:
            assert secret not in readable(path), f"a secret leaked into {path.relative_to(tmp_path)}"
