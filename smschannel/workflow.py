"""What the CLI's Terraform commands do: synthesize the CDKTF app, pick the stack, run Terraform in it
with one provider process for the whole command, and apply a saved plan only while it still matches
the code and the state it was made from. The CLI only parses arguments and prints."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from smschannel.errors import SmschannelError, StalePlan, TerraformError
from smschannel.pipeline.saved_plan import SavedPlan
from smschannel.terraform.runner import Terraform, provider_session, terraform_command

SYNTH_ENV = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CHECKPOINT_DISABLE": "1"}

Say = Callable[[str], None]
"""Where progress lines go (the CLI prints them on stderr); library code never prints."""


def _quiet(line: str) -> None:
    return None


def colour_wanted(stream: IO[str] | None = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    return bool(stream.isatty()) and not os.environ.get("NO_COLOR")


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

    def synth(self, say: Say = _quiet) -> None:
        app = self.config.get("app", "")
        say(f"Synthesizing the CDKTF app ({app})...")
        started = time.monotonic()
        env = {**os.environ, **SYNTH_ENV, "CDKTF_OUTDIR": str(self.outdir)}
        result = subprocess.run(self.app_command(), cwd=self.root, env=env)
        if result.returncode != 0:
            raise SmschannelError(f"synth failed: {' '.join(self.app_command())} exited with {result.returncode}")
        stacks = ", ".join(self.stacks()) or "no stack"
        say(f"Synthesized {stacks} in {time.monotonic() - started:.1f} s.")

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


def init(tf: Terraform, say: Say = _quiet) -> None:
    say(f"Initializing Terraform in {_shown_path(tf.workdir)}...")
    started = time.monotonic()
    result = tf.init(capture=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise TerraformError("terraform init failed (its output is above)")
    say(f"Initialized in {time.monotonic() - started:.1f} s.")


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Outcome:
    """What one Terraform command did: its exit code and what it printed (stdout, then stderr)."""

    code: int
    stdout: str = ""
    stderr: str = ""


def _pump(source: IO[str], sink: IO[str], kept: list[str]) -> None:
    for line in source:
        kept.append(line)
        sink.write(line)
        sink.flush()


def run(tf: Terraform, args: Sequence[str], *, say: Say = _quiet, keep: bool = False,
        initialized: bool = False) -> Outcome:
    """Init (unless `initialized`), then run one Terraform command with a provider process started once
    for it. Its output goes to ours as it comes; with `keep` it is also returned (the plan summary reads
    warnings and errors from it). Colour only on a terminal and without NO_COLOR."""
    if not initialized:
        init(tf, say)
    args = [*args] if colour_wanted() else [args[0], "-no-color", *args[1:]]
    with provider_session() as env:
        if not keep:
            return Outcome(tf.run(args, env=env).returncode)
        process = subprocess.Popen([*terraform_command(), *args], cwd=tf.workdir, env=tf.env(env), text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out: list[str] = []
        err: list[str] = []
        assert process.stdout is not None and process.stderr is not None
        pumps = [threading.Thread(target=_pump, args=(process.stdout, sys.stdout, out), daemon=True),
                 threading.Thread(target=_pump, args=(process.stderr, sys.stderr, err), daemon=True)]
        for pump in pumps:
            pump.start()
        code = process.wait()
        for pump in pumps:
            pump.join()
        return Outcome(code, "".join(out), "".join(err))


def plan(tf: Terraform, *, out: Path | None, detailed: bool, refresh_only: bool = False, destroy: bool = False,
         say: Say = _quiet, keep: bool = False) -> tuple[Outcome, Path]:
    """Plan into `out` (a temporary file when None); return Terraform's outcome and the plan file.
    Exit code 2 (changes) stays 2 only with `detailed`."""
    plan_file = out or Path(tempfile.mkdtemp(prefix="smschannel-plan-")) / "plan.tfplan"
    args = ["plan", "-input=false", f"-out={plan_file.resolve()}", "-detailed-exitcode"]
    if refresh_only:
        args.append("-refresh-only")
    if destroy:
        args.append("-destroy")
    outcome = run(tf, args, say=say, keep=keep)
    if outcome.code == 2 and not detailed:
        outcome = Outcome(0, outcome.stdout, outcome.stderr)
    return outcome, plan_file


def show_json(tf: Terraform, plan_file: Path) -> dict[str, Any]:
    return show(tf, plan_file)[0]


def show(tf: Terraform, plan_file: Path) -> tuple[dict[str, Any], str]:
    """A saved plan as JSON and as the text Terraform prints for it (without colour)."""
    with provider_session() as env:
        as_json = tf.run(["show", "-json", str(plan_file.resolve())], capture=True, env=env)
        as_text = tf.run(["show", "-no-color", str(plan_file.resolve())], capture=True, env=env)
    for result in (as_json, as_text):
        if result.returncode != 0:
            raise TerraformError(f"terraform show failed: {result.stderr.strip()}")
    shown: dict[str, Any] = json.loads(as_json.stdout)
    return shown, as_text.stdout


def state_pull(tf: Terraform) -> dict[str, Any] | None:
    """The stack's current state from its backend (None when there is none yet)."""
    with provider_session() as env:
        result = tf.run(["state", "pull"], capture=True, env=env)
    if result.returncode != 0:
        raise TerraformError(f"terraform state pull failed: {result.stderr.strip()}")
    text = result.stdout.strip()
    pulled: dict[str, Any] | None = json.loads(text) if text else None
    return pulled


def apply_saved(tf: Terraform, plan_file: Path, *, say: Say = _quiet) -> Outcome:
    """Apply a saved plan only if it still matches: the stack's configuration must be the one the plan
    was made from, and the state must not have moved since (another apply). Else `StalePlan`, and
    nothing is applied."""
    saved = SavedPlan.open(plan_file)
    saved.check_configuration(tf.workdir)
    init(tf, say)
    saved.check_state(state_pull(tf))
    return run(tf, ["apply", "-input=false", str(plan_file.resolve())], initialized=True)


Confirm = Callable[[str], bool]
"""Asks a person to approve (the question, Terraform's words) and says whether they typed yes."""

APPLY_QUESTION = ("Do you want to perform these actions?\n"
                  "  smschannel will perform the actions described above.\n"
                  "  Only 'yes' will be accepted to approve.")
DESTROY_QUESTION = ("Do you really want to destroy all resources?\n"
                    "  smschannel will destroy every object of the stack, as shown above.\n"
                    "  There is no undo. Only 'yes' will be accepted to confirm.")


def apply_now(tf: Terraform, *, confirm: Confirm | None, destroy: bool = False, say: Say = _quiet) -> Outcome:
    """Plan, show it, and (after `confirm` says yes, or at once when it is None: --auto-approve) apply
    exactly that plan. Refused: `SmschannelError("Apply cancelled.")`."""
    planned, plan_file = plan(tf, out=None, detailed=True, destroy=destroy, say=say)
    if planned.code == 0:
        return planned
    if planned.code != 2:
        return planned
    if confirm is not None and not confirm(DESTROY_QUESTION if destroy else APPLY_QUESTION):
        raise SmschannelError(f"{'Destroy' if destroy else 'Apply'} cancelled.")
    return run(tf, ["apply", "-input=false", str(plan_file.resolve())], initialized=True)


__all__ = [
    "APPLY_QUESTION",
    "DESTROY_QUESTION",
    "Outcome",
    "Project",
    "StalePlan",
    "apply_now",
    "apply_saved",
    "colour_wanted",
    "init",
    "plan",
    "run",
    "show",
    "show_json",
    "state_pull",
]
