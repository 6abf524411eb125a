"""The runner: the provider mirror (its launcher's bytes are pinned: lock files hold their hash), the CLI
configuration, and which Terraform runs."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from smschannel.errors import TerraformError
from smschannel.terraform.runner import (
    PLATFORMS,
    Terraform,
    cli_config,
    install_mirror,
    platform_name,
    terraform_command,
)
from tests.support import Workspace

LAUNCHER_SHA256 = "59a325e7996d462e20d8b81df94de4c2df3780e42373d3edffe08af1e6e03258"
"""The launcher's hash since the first release (commit 0952f8d): a change breaks every lock file out there."""
LOCK_HASH = "h1:Cq/KEeDUfy5ztkD9VdfnQ98u2NMEndNlKupe+LxheGE="
"""What `terraform init` writes in `.terraform.lock.hcl` for version 0.1.0 (a lock file made at 0952f8d)."""


def dirhash_h1(folder: Path) -> str:
    """Terraform's `h1:` hash of an unpacked provider folder (Go's dirhash.Hash1)."""
    lines = "".join(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.relative_to(folder).as_posix()}\n"
                    for f in sorted(p for p in folder.rglob("*") if p.is_file()))
    return "h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode()


def test_mirror_layout_is_the_same_bytes_everywhere(tmp_path: Path) -> None:
    one = install_mirror(tmp_path / "a", version="1.2.3")
    two = install_mirror(tmp_path / "b", version="1.2.3")
    assert one.relative_to(tmp_path / "a").as_posix() == (
        f"registry.terraform.io/smschannel/smschannel/1.2.3/{platform_name()}/terraform-provider-smschannel_v1.2.3")
    assert one.read_bytes() == two.read_bytes() and one.stat().st_mode & 0o111
    version = tmp_path / "a" / "registry.terraform.io" / "smschannel" / "smschannel" / "1.2.3"
    assert sorted(p.name for p in version.iterdir()) == sorted({*PLATFORMS, platform_name()})
    assert {dirhash_h1(p) for p in version.iterdir()} == {dirhash_h1(one.parent)}  # one hash for every platform
    assert str(tmp_path) not in one.read_text()  # no machine-specific path: lock files verify anywhere
    config = cli_config(tmp_path / "a")
    assert 'include = ["registry.terraform.io/smschannel/smschannel"]' in config
    assert 'exclude = ["registry.terraform.io/smschannel/smschannel"]' in config


def test_terraform_command(monkeypatch: pytest.MonkeyPatch) -> None:
    assert terraform_command()[-2:] == ["-m", "smschannel.terraform.tfexec"]
    monkeypatch.setenv("SMSCHANNEL_TERRAFORM", "no-such-terraform-here")
    with pytest.raises(TerraformError, match="SMSCHANNEL_TERRAFORM names no-such-terraform-here, which is not"):
        terraform_command()


def test_the_launcher_keeps_its_bytes_so_old_lock_files_verify(tmp_path: Path) -> None:
    launcher = install_mirror(tmp_path, version="0.1.0")
    assert hashlib.sha256(launcher.read_bytes()).hexdigest() == LAUNCHER_SHA256
    assert dirhash_h1(launcher.parent) == LOCK_HASH
    assert "-m smschannel.providers.main" in launcher.read_text()  # the stable entry point


def test_terraform_init_writes_the_pinned_hash(workspace: Workspace) -> None:
    from smschannel import __version__

    if __version__ != "0.1.0":
        pytest.fail("a new version has a new lock hash: pin the launcher's hash for it here")
    workspace.write_hcl('terraform {\n  required_providers {\n    smschannel = { source = "smschannel/smschannel" }\n'
                        '  }\n}\n')
    assert workspace.run("validate").code == 0
    lock = (workspace.root / ".terraform.lock.hcl").read_text()
    assert re.findall(r'"(h1:[^"]+)"', lock) == [LOCK_HASH]


@pytest.mark.terraform
def test_one_lock_file_verifies_on_every_platform(tmp_path: Path) -> None:
    """`terraform providers lock` for linux and darwin, amd64 and arm64, from the mirror: one `h1:` hash
    (the launcher's folder is the same everywhere), the one pinned above."""
    tf = Terraform(tmp_path / "work", tmp_path / "home")
    tf.workdir.mkdir()
    (tf.workdir / "main.tf").write_text('terraform {\n  required_providers {\n    smschannel = { source = '
                                        '"smschannel/smschannel" }\n  }\n}\n')
    done = tf.run(["providers", "lock", f"-fs-mirror={tf.mirror}", *(f"-platform={p}" for p in PLATFORMS),
                   "-no-color"], capture=True)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in PLATFORMS:
        assert f"Obtained smschannel/smschannel checksums for {name}" in done.stdout
    lock = (tf.workdir / ".terraform.lock.hcl").read_text()
    assert re.findall(r'"(h1:[^"]+)"', lock) == [LOCK_HASH]
    # Without the mirror flag, `providers lock` asks the public registry, which has no smschannel: the
    # smschannel-terraform shim adds the flag (tests/terraform/test_cdktf_cli.py runs cdktf-cli through it).
