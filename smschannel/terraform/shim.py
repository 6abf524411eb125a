"""`smschannel-terraform`: a `terraform` executable for CDKTF's and CDK Terrain's own CLIs.

`cdktf diff|deploy|destroy` (and `cdktn ...`) run `$TERRAFORM_BINARY_NAME` (default `terraform`). Point it here
(`export TERRAFORM_BINARY_NAME=smschannel-terraform`) and they run the Terraform that smschannel embeds,
with nothing downloaded:

- the CLI configuration is the project's (`.smschannel/terraform.rc` beside `cdktf.json`), whose
  filesystem mirror holds the provider for every platform;
- the provider's launcher runs with this Python (`SMSCHANNEL_PYTHON`), the one that has smschannel;
- no plugin cache (cdktf-cli sets `TF_PLUGIN_CACHE_DIR`): Terraform would keep the provider as a link
  into this project's mirror, which breaks every other project's init once this one is gone;
- `terraform providers lock`, which ignores the CLI configuration's mirrors, is pointed at the mirror
  for the smschannel provider (other providers are locked from their registries as usual), so the
  lock step of `cdktf diff` no longer stops with "Could not retrieve providers for locking".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from smschannel.terraform.runner import PROVIDER_SOURCE, Terraform

MIRROR_FLAGS = ("-fs-mirror", "-net-mirror")


def home_for(cwd: Path) -> Path:
    """The project's `.smschannel` folder (beside the nearest `cdktf.json`), else `SMSCHANNEL_HOME` or
    `~/.smschannel`."""
    for folder in (cwd, *cwd.parents):
        if (folder / "cdktf.json").exists():
            return folder / ".smschannel"
    return Path(os.environ.get("SMSCHANNEL_HOME") or Path.home() / ".smschannel")


def required_sources(workdir: Path) -> list[str]:
    """The provider sources the JSON configuration in `workdir` requires."""
    found: list[str] = []
    for path in sorted(workdir.glob("*.tf.json")):
        try:
            document = json.loads(path.read_text())
        except ValueError:
            continue
        for block in _as_list(document.get("terraform")):
            for providers in _as_list(block.get("required_providers")):
                for spec in providers.values():
                    source = spec.get("source") if isinstance(spec, dict) else None
                    if isinstance(source, str) and source not in found:
                        found.append(source)
    return found


def _as_list(value: object) -> list[dict[str, object]]:
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _is_ours(source: str) -> bool:
    return PROVIDER_SOURCE.endswith(source.lower()) or source.lower() == PROVIDER_SOURCE


def lock_commands(args: Sequence[str], workdir: Path, mirror: Path) -> list[list[str]]:
    """`providers lock` as one or two commands: ours from the mirror, the others as asked."""
    if list(args[:2]) != ["providers", "lock"] or any(a.split("=")[0] in MIRROR_FLAGS for a in args):
        return [list(args)]
    options = [a for a in args[2:] if a.startswith("-")]
    named = [a for a in args[2:] if not a.startswith("-")]
    wanted = named or required_sources(workdir) or [PROVIDER_SOURCE]
    ours = [s for s in wanted if _is_ours(s)]
    others = [s for s in wanted if not _is_ours(s)]
    commands = []
    if ours:
        commands.append(["providers", "lock", f"-fs-mirror={mirror}", *options, *ours])
    if others:
        commands.append(["providers", "lock", *options, *others])
    return commands


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    workdir = Path.cwd()
    tf = Terraform(workdir, home_for(workdir))
    env = tf.env()
    code = 0
    for command in lock_commands(args, workdir, tf.mirror.resolve()):
        # A process of its own: the embedded Terraform reads its environment when it is loaded.
        code = subprocess.run([sys.executable, "-m", "smschannel.terraform.tfexec", *command], env=env).returncode
        if code != 0:
            break
    return code


def run() -> None:
    sys.exit(main())


__all__ = ["home_for", "lock_commands", "main", "required_sources"]
