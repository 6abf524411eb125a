"""How a no-change plan of N channel configurations compares with N `terraform_data` resources.

    .venv/bin/python bench/plan_scale.py 500 [--repeat 3] [--managed]

Builds N configurations (spread over one Twilio and one Sinch credentials) against a local stack,
applies them, then times no-change plans of them and of N `terraform_data` resources in the same run
with the same Terraform, and counts the registry requests one refresh makes (also at N=10, to show
they do not grow with N). The smschannel plan runs as `smschannel plan` runs it (one provider
process per command, reattached); `--managed` also times Terraform starting the provider itself from
the filesystem mirror, as plain `terraform` users run it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smschannel.local import LocalStack
from tests.support import Workspace


def smschannel_resources(n: int, facts: dict[str, Any]) -> dict[str, Any]:
    tw, si = facts["vendors"]["twilio"], facts["vendors"]["sinch"]
    configs = {}
    for i in range(n):
        twilio = i % 2 == 0
        configs[f"c{i}"] = {
            "name": f"config-{i}", "channel": "sms", "sms_type": "marketing",
            "credentials_id": "${smschannel_twilio_credentials.main.id}" if twilio
            else "${smschannel_sinch_credentials.main.id}",
            "sender_number": tw["phone_numbers"][0] if twilio else si["phone_numbers"][0],
        }
    return {
        "smschannel_twilio_credentials": {"main": {"name": "tw", "account_sid": tw["account_sid"],
                                                   "auth_token_env": "TWILIO_AUTH_TOKEN"}},
        "smschannel_sinch_credentials": {"main": {"name": "si", "service_plan_id": si["service_plan_id"],
                                                  "api_token_env": "SINCH_API_TOKEN"}},
        "smschannel_configuration": configs,
    }


def timed_plan(workspace: Workspace) -> float:
    start = time.perf_counter()
    result = workspace.plan()
    elapsed = time.perf_counter() - start
    assert result.code == 0, str(result)
    return elapsed


def paired(ours: Workspace, base: Workspace, repeat: int) -> tuple[float, float, float]:
    """Median times and the median of per-pair ratios; the two plans alternate, so a machine that
    slows down or speeds up during the run affects both sides of each pair alike."""
    pairs = [(timed_plan(base), timed_plan(ours)) for _ in range(repeat)]
    return (statistics.median(b for b, _ in pairs), statistics.median(o for _, o in pairs),
            statistics.median(o / b for b, o in pairs))


def setup(root: Path, home: Path, env: dict[str, str], resources: dict[str, Any], *, managed: bool = False,
          sandbox: str = "bench") -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(root, home, {**env, "SMSCHANNEL_SANDBOX": sandbox}, managed=managed)
    workspace.write_json(resources)
    workspace.apply()
    return workspace


def refresh_requests(stack: LocalStack, workspace: Workspace) -> int:
    before = stack.registry_app.state.requests
    assert workspace.plan().code == 0
    return int(stack.registry_app.state.requests - before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--managed", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="smschannel-bench-") as tmp:
        root = Path(tmp)
        with LocalStack(root / "stack") as stack:
            facts = json.loads((stack.state_dir / "endpoints.json").read_text())
            env, home = facts["env"], root / "home"
            print(f"applying {args.n} configurations and {args.n} terraform_data resources ...", flush=True)
            ours = setup(root / "smschannel", home, env, smschannel_resources(args.n, facts))
            base = setup(root / "baseline", home, env,
                         {"terraform_data": {f"d{i}": {"input": f"config-{i}"} for i in range(args.n)}})
            small = setup(root / "small", home, env, smschannel_resources(10, facts), sandbox="bench-small")

            baseline, measured, ratio = paired(ours, base, args.repeat)
            print(f"no-change plan, N={args.n}: terraform_data {baseline:.2f} s, smschannel {measured:.2f} s, "
                  f"ratio {ratio:.2f} (median of {args.repeat} alternating pairs)")
            if args.managed:
                ours.managed = True
                baseline, managed, ratio = paired(ours, base, args.repeat)
                print(f"  same plan with Terraform starting the provider (plain terraform): {managed:.2f} s "
                      f"against {baseline:.2f} s, ratio {ratio:.2f}")
            print(f"registry requests per refresh: {refresh_requests(stack, ours)} at N={args.n}, "
                  f"{refresh_requests(stack, small)} at N=10")


if __name__ == "__main__":
    main()
