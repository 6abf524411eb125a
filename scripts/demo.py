"""`make demo`: the main job end to end on the embedded default.

Starts `smschannel up` (local registry + local vendors) in the background, synthesizes `main.py`,
plans, applies the saved plan, plans again to show nothing changes, prints what the registry holds,
sends STOP, CANCIL (then YES), START and HELP through the local Twilio and prints each decision, and
stops what it started, also when a step fails.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "state" / "demo"
SMSCHANNEL = [sys.executable, "-m", "smschannel.cli"]


def step(title: str) -> None:
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # no colour codes off a terminal
    print(f"\n\033[1m==> {title}\033[0m" if bold else f"\n==> {title}", flush=True)


def smschannel(*args: str, env: dict[str, str], expect: tuple[int, ...] = (0,)) -> int:
    code = subprocess.run([*SMSCHANNEL, *args], cwd=ROOT, env=env).returncode
    if code not in expect:
        raise SystemExit(f"demo: `smschannel {' '.join(args)}` exited with {code}")
    return code


def wait_for_endpoints(up: subprocess.Popen[bytes], path: Path, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if up.poll() is not None:
            raise SystemExit(f"demo: `smschannel up` stopped early (exit {up.returncode})")
        if path.exists():
            endpoints: dict[str, Any] = json.loads(path.read_text())
            return endpoints
        time.sleep(0.2)
    raise SystemExit("demo: `smschannel up` did not become ready in time")


def show_registry(env: dict[str, str]) -> None:
    from smschannel.model import RESOURCES
    from smschannel.registry_client import RegistryClient

    client = RegistryClient(env["SMSCHANNEL_ENDPOINT"], env["SMSCHANNEL_TOKEN"], sandbox="prod")
    try:
        for model in RESOURCES:
            for obj in client.list(model.stem()):
                facts = {k: obj.get(k) for k in ("channel", "sender_number", "status", "status_reason",
                                                 "verified_at", "wired_to", "fqdn") if obj.get(k)}
                name = obj.get("name") or obj.get("fqdn")
                print(f"  {model.type_name:34} {obj['id']:24} {name:22} {facts}")
    finally:
        client.close()


def main() -> None:
    shutil.rmtree(STATE, ignore_errors=True)
    for leftover in (ROOT / "cdktf.out" / "stacks" / "channels").glob("terraform.tfstate*"):
        leftover.unlink()
    step("smschannel up: local registry and local vendors")
    up = subprocess.Popen([*SMSCHANNEL, "up", "--state-dir", str(STATE)], cwd=ROOT, start_new_session=True)
    try:
        endpoints = wait_for_endpoints(up, STATE / "endpoints.json")
        env = {**os.environ, **endpoints["env"]}
        print(f"registry at {endpoints['registry']['url']}; provider settings: "
              f"{json.dumps({k: v for k, v in endpoints['provider'].items() if k != 'token'})}")
        plan_file = STATE / "demo.tfplan"
        step("smschannel plan: synthesize main.py and plan")
        smschannel("plan", "--out", str(plan_file), "--summary", str(STATE / "summary.md"),
                   "--json", str(STATE / "plan.json"), env=env)
        print((STATE / "summary.md").read_text())
        step("smschannel apply: apply the saved plan")
        smschannel("apply", str(plan_file), env=env)
        step("smschannel plan again: nothing should change")
        smschannel("plan", "--detailed-exitcode", env=env)
        print("no changes: the registry matches the code")
        step("what the registry holds (sandbox prod)")
        show_registry(env)
        step("inbound messages from +14155550123 through the local Twilio: STOP, CANCIL then YES, START, HELP")
        for text in ("STOP", "CANCIL", "YES", "START", "HELP"):
            smschannel("inbound", "simulate", "--webhook", "inbound-us", "--from", "+14155550123", text, env=env)
    finally:
        step("stopping smschannel up")
        if up.poll() is None:
            os.killpg(up.pid, signal.SIGTERM)
            try:
                up.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(up.pid, signal.SIGKILL)
                up.wait()
        print("stopped")


if __name__ == "__main__":
    main()
