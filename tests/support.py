"""Test helpers: a Terraform working directory driven exactly as the CLI drives it."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smschannel.terraform.runner import Terraform, provider_session

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return ANSI.sub("", self.stdout + self.stderr)

    @property
    def flat(self) -> str:
        """The output with Terraform's line wrapping undone (whitespace runs become one space)."""
        return " ".join(self.output.split())

    def __str__(self) -> str:
        return f"exit {self.code}\n{self.output}"


class Workspace:
    """One Terraform working directory with the smschannel provider (reattached, as the CLI runs it,
    or started by Terraform from the filesystem mirror when `managed`)."""

    def __init__(self, root: Path, home: Path, env: dict[str, str], *, managed: bool = False) -> None:
        self.root = root
        self.env = dict(env)
        self.managed = managed
        self.tf = Terraform(root, home)
        self._initialized = False

    def write_json(self, resources: dict[str, Any], *, provider: dict[str, Any] | None = None) -> Path:
        document = {
            "terraform": {"required_providers": {"smschannel": {"source": "smschannel/smschannel"}}},
            "provider": {"smschannel": provider or {}},
            "resource": resources,
        }
        (self.root / "main.tf").unlink(missing_ok=True)
        path = self.root / "main.tf.json"
        path.write_text(json.dumps(document, indent=2))
        return path

    def write_hcl(self, text: str) -> Path:
        (self.root / "main.tf.json").unlink(missing_ok=True)
        path = self.root / "main.tf"
        path.write_text(text)
        return path

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        if not self._initialized:
            init = self.tf.run(["init", "-input=false", "-no-color"], capture=True, env=self.env)
            assert init.returncode == 0, init.stdout + init.stderr
            self._initialized = True
        full_env = {**self.env, **(env or {})}
        if self.managed:
            done = self.tf.run([*args, "-no-color"], capture=True, env=full_env)
        else:
            with provider_session(full_env) as reattach:
                done = self.tf.run([*args, "-no-color"], capture=True, env={**full_env, **reattach})
        return Result(done.returncode, done.stdout, done.stderr)

    def apply(self, **kw: Any) -> Result:
        result = self.run("apply", "-input=false", "-auto-approve", **kw)
        assert result.code == 0, str(result)
        return result

    def plan(self, *extra: str, **kw: Any) -> Result:
        return self.run("plan", "-input=false", "-detailed-exitcode", *extra, **kw)

    def destroy(self, **kw: Any) -> Result:
        result = self.run("destroy", "-input=false", "-auto-approve", **kw)
        assert result.code == 0, str(result)
        return result

    def state(self) -> dict[str, dict[str, Any]]:
        """Each resource's attribute values by address, from `terraform show -json`."""
        done = self.run("show", "-json")
        assert done.code == 0, str(done)
        shown = json.loads(done.stdout)
        resources = shown.get("values", {}).get("root_module", {}).get("resources", [])
        return {r["address"]: r["values"] for r in resources}

    def files_text(self) -> str:
        """Every file Terraform and the provider left in the working directory, as text."""
        texts = []
        for path in self.root.rglob("*"):
            if path.is_file() and ".terraform/providers" not in str(path):
                texts.append(path.read_bytes().decode("utf-8", "replace"))
        return "\n".join(texts)


def git_ls(root: Path) -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True).stdout.split()


def settled(registry: Any, profile_number: str, *, timeout: float = 20.0) -> list[dict[str, Any]]:
    """Wait until every reply to `profile_number` has left the registry's outbox (sent, failed or
    expired) and return the profile's consent history. Replies are sent after the webhook answers."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        history: list[dict[str, Any]] = registry.raw(
            "GET", f"/v1/sandboxes/{registry.sandbox}/consent/history", params={"profile_number": profile_number}
        )["data"]
        if all(e["reply_status"] not in ("queued", "sending") for e in history) or time.monotonic() > deadline:
            return history
        time.sleep(0.05)
