"""Record the plans the golden PR comments are made from, with real Terraform and the real provider
against a local stack: `.venv/bin/python -m tests.pipeline.record_plans`. For each case it writes
`plans/<case>.json` (`terraform show -json`), `plans/<case>.plan.txt` (`terraform show`) and
`plans/<case>.out.txt` (what the plan printed: warnings and errors). Then `UPDATE_GOLDEN=1 pytest
tests/pipeline/test_summary.py` rewrites the golden comments, to be read before they are committed."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from smschannel.local import LocalStack
from smschannel.registry_client import RegistryClient
from tests.support import Workspace

HERE = Path(__file__).resolve().parent / "plans"


def resources(facts: dict[str, Any], *, keywords: list[str], help_reply: str, config_name: str,
              literal_token: bool = False, with_config: bool = True, sinch: bool = False) -> dict[str, Any]:
    tw = facts["vendors"]["twilio"]
    secret = {"auth_token": tw["auth_token"]} if literal_token else {"auth_token_env": "TWILIO_AUTH_TOKEN"}
    found: dict[str, Any] = {
        "smschannel_twilio_credentials": {"main": {"name": "twilio-main", "account_sid": tw["account_sid"],
                                                   **secret}},
        "smschannel_webhook": {"inbound": {
            "name": "inbound-us", "vendor": "twilio", "credentials_id": "${smschannel_twilio_credentials.main.id}",
            "sender_number": tw["phone_numbers"][0],
            "opt_out": {"keywords": keywords, "reply": "Acme: you are unsubscribed. Reply START to resume."},
            "help": {"keywords": ["HELP", "INFO"], "reply": help_reply},
        }},
    }
    if with_config:
        found["smschannel_configuration"] = {"marketing": {
            "name": config_name, "channel": "sms", "sms_type": "marketing",
            "credentials_id": "${smschannel_twilio_credentials.main.id}", "sender_number": tw["phone_numbers"][0]}}
    if sinch:
        sc = facts["vendors"]["sinch"]
        found["smschannel_sinch_credentials"] = {"sinch": {"name": "sinch-main", "service_plan_id":
                                                           sc["service_plan_id"], "api_token_env": "SINCH_API_TOKEN"}}
        found["smschannel_webhook"]["sinch_inbound"] = {
            "name": "inbound-sinch", "vendor": "sinch", "credentials_id": "${smschannel_sinch_credentials.sinch.id}",
            "sender_number": sc["phone_numbers"][0], "opt_out": {"keywords": ["STOP", "ARRET"],
                                                                 "reply": "Vous êtes désinscrit. Répondez START."}}
    return found


def record(workspace: Workspace, case: str) -> int:
    plan_file = workspace.root / f"{case}.tfplan"
    done = workspace.run("plan", "-input=false", "-detailed-exitcode", f"-out={plan_file}")
    (HERE / f"{case}.out.txt").write_text(done.stdout + done.stderr)
    if done.code in (0, 2):
        shown = json.loads(workspace.run("show", "-json", str(plan_file)).stdout)
        (HERE / f"{case}.json").write_text(json.dumps(shown, indent=1, sort_keys=True) + "\n")
        (HERE / f"{case}.plan.txt").write_text(workspace.run("show", str(plan_file)).stdout)
    print(f"{case}: exit {done.code}", file=sys.stderr)
    return done.code


def main() -> None:
    HERE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, LocalStack(Path(tmp) / "stack") as stack:
        facts = json.loads((stack.state_dir / "endpoints.json").read_text())
        env = {**facts["env"], "SMSCHANNEL_SANDBOX": "golden"}
        workspace = Workspace(Path(tmp) / "work", Path(tmp) / "home", env)
        workspace.root.mkdir()
        base = {"keywords": ["STOP", "QUIT"], "help_reply": "Acme: help at acme.example. Reply STOP to end.",
                "config_name": "marketing-us"}
        workspace.write_json(resources(facts, **base))  # type: ignore[arg-type]
        record(workspace, "create")
        workspace.apply()
        record(workspace, "no_changes")
        changed = {**base, "keywords": ["STOP", "QUIT", "ARRET"], "config_name": "marketing-us-2",
                   "help_reply": "Acme: aide sur acme.example. Répondez STOP pour arrêter."}
        workspace.write_json(resources(facts, **changed))  # type: ignore[arg-type]
        record(workspace, "update_keywords_replace_config")
        workspace.write_json(resources(facts, **base, literal_token=True))  # type: ignore[arg-type]
        record(workspace, "secret_given_literally")
        workspace.write_json(resources(facts, **base, with_config=False, sinch=True))  # type: ignore[arg-type]
        record(workspace, "delete_and_warnings")
        client = RegistryClient(env["SMSCHANNEL_ENDPOINT"], env["SMSCHANNEL_TOKEN"], sandbox="golden")
        webhook = next(w for w in client.list("webhook") if w["name"] == "inbound-us")
        client.update("webhook", webhook["id"], {"default_reply": "Changed in the registry by hand."}, {})
        client.close()
        workspace.write_json(resources(facts, **base))  # type: ignore[arg-type]
        record(workspace, "drift")
        broken = resources(facts, **base)  # type: ignore[arg-type]
        broken["smschannel_configuration"]["marketing"]["sender_number"] = "4155"
        workspace.write_json(broken)
        record(workspace, "failure")
        workspace.write_json(resources(facts, **base))  # type: ignore[arg-type]
        workspace.destroy()


if __name__ == "__main__":
    main()
