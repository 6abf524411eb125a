"""What the CLI's Terraform commands do: synthesize the CDKTF app, pick the stack, run Terraform in it
with one provider process for the whole command. The CLI only parses arguments and prints."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smschannel.errors import SmschannelError, TerraformError
from smschannel.terraform.runner import Terraform, provider_session

SYNTH_ENV = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CHECKPOINT_DISABLE": "1"}


@dataclass(frozen=True)
class Project:
    """A CDKTF project: the folder holding `cdktf.json`."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "cdktf.json").exists():
                return cls(folder)
        raise SmschannelError(f"no cdktf.json in {here} or above: run smschannel in a CDKTF project")

    @property
    def config(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.root / "cdktf.json").read_text())
        return loaded

    @property
    def outdir(self) -> Path:
        return self.root / str(self.config.get("output", "cdktf.out"))

    @property
    def home(self) -> Path:
        """Where smschannel keeps the provider mirror and Terraform's CLI configuration."""
        return self.root / ".smschannel"

    def app_command(self) -> list[str]:
        app = self.config.get("app")
        if not app:
            raise SmschannelError(f"{self.root / 'cdktf.json'} has no \"app\" command")
        argv = shlex.split(app)
        if argv and Path(argv[0]).name in ("python", "python3"):
            argv[0] = sys.executable  # the Python that has smschannel installed
        return argv

    def synth(self) -> None:
        env = {**os.environ, **SYNTH_ENV, "CDKTF_OUTDIR": str(self.outdir)}
        result = subprocess.run(self.app_command(), cwd=self.root, env=env)
        if result.returncode != 0:
            raise SmschannelError(f"synth failed: {' '.join(self.app_command())} exited with {result.returncode}")

    def stacks(self) -> list[str]:
        folder = self.outdir / "stacks"
        return sorted(p.name for p in folder.iterdir() if (p / "cdk.tf.json").exists()) if folder.exists() else []

    def stack_dir(self, stack: str | None) -> Path:
        names = self.stacks()
        if stack is None:
            if len(names) != 1:
                raise SmschannelError(f"choose a stack with --stack: found {', '.join(names) or 'none'}")
            stack = names[0]
        if stack not in names:
            raise SmschannelError(f"no stack {stack} in {self.outdir / 'stacks'}: found {', '.join(names) or 'none'}")
        return self.outdir / "stacks" / stack

    def terraform(self, stack: str | None) -> Terraform:
        return Terraform(self.stack_dir(stack), self.home)


def init(tf: Terraform) -> None:
    result = tf.init(capture=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise TerraformError("terraform init failed (its output is above)")


def run(tf: Terraform, args: Sequence[str]) -> int:
    """Init, then run one Terraform command with a provider process started once for it."""
    init(tf)
    with provider_session() as env:
        return tf.run(args, env=env).returncode


def plan(tf: Terraform, *, out: Path | None, detailed: bool, refresh_only: bool = False) -> tuple[int, Path]:
    """Plan into `out` (a temporary file when None); return Terraform's exit code and the plan file."""
    plan_file = out or Path(tempfile.mkdtemp(prefix="smschannel-plan-")) / "plan.tfplan"
    args = ["plan", "-input=false", f"-out={plan_file.resolve()}", "-detailed-exitcode"]
    if refresh_only:
        args.append("-refresh-only")
    code = run(tf, args)
    if code == 2 and not detailed:
        code = 0
    return code, plan_file


def show_json(tf: Terraform, plan_file: Path) -> dict[str, Any]:
    with provider_session() as env:
        result = tf.run(["show", "-json", str(plan_file.resolve())], capture=True, env=env)
    if result.returncode != 0:
        raise TerraformError(f"terraform show failed: {result.stderr.strip()}")
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def summary_markdown(shown: dict[str, Any]) -> str:
    """A pull-request comment: one line per change, secrets never shown (only attribute names)."""
    rows = []
    counts = {"create": 0, "update": 0, "delete": 0, "replace": 0}
    for change in shown.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions == ["no-op"] or actions == ["read"]:
            continue
        action = "replace" if sorted(actions) == ["create", "delete"] else actions[0]
        counts[action] = counts.get(action, 0) + 1
        before, after = change["change"].get("before") or {}, change["change"].get("after") or {}
        sensitive = (change["change"].get("after_sensitive") or {}) | (change["change"].get("before_sensitive") or {})
        changed = sorted(k for k in set(before) | set(after)
                         if before.get(k) != after.get(k) and k in after and not sensitive.get(k))
        unknown = sorted(k for k, v in (change["change"].get("after_unknown") or {}).items() if v)
        detail = ", ".join(changed[:8]) if action == "update" else ""
        if action == "update" and any(k.endswith("_fingerprint") for k in unknown + changed):
            detail = (detail + ", " if detail else "") + "secret rotated"
        rows.append(f"| `{change['address']}` | {action} | {detail} |")
    head = (f"**smschannel plan**: {counts['create']} to create, {counts['update']} to update, "
            f"{counts['replace']} to replace, {counts['delete']} to delete.\n")
    if not rows:
        return head + "\nNo changes.\n"
    return head + "\n| address | action | what changes |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"


__all__ = ["Project", "init", "plan", "run", "show_json", "summary_markdown"]
