"""The pull-request summary, the provider mirror and the Terraform command."""

from __future__ import annotations

from pathlib import Path

import pytest

from smschannel.errors import TerraformError
from smschannel.terraform.runner import cli_config, install_mirror, platform_name, terraform_command
from smschannel.workflow import summary_markdown


def test_summary_lists_changes_and_hides_sensitive_values() -> None:
    shown = {"resource_changes": [
        {"address": "smschannel_twilio_credentials.main", "change": {
            "actions": ["update"],
            "before": {"name": "a", "auth_token": "s3cr3t", "auth_token_fingerprint": "hmac-sha256:1"},
            "after": {"name": "b", "auth_token": "n3w", "auth_token_fingerprint": "hmac-sha256:2"},
            "after_sensitive": {"auth_token": True}, "before_sensitive": {"auth_token": True}}},
        {"address": "smschannel_configuration.c", "change": {"actions": ["delete", "create"], "before": {},
                                                             "after": {}}},
        {"address": "smschannel_configuration.d", "change": {"actions": ["no-op"], "before": {}, "after": {}}},
    ]}
    text = summary_markdown(shown)
    assert text.startswith("**smschannel plan**: 0 to create, 1 to update, 1 to replace, 0 to delete.")
    assert "| `smschannel_twilio_credentials.main` | update | auth_token_fingerprint, name, secret rotated |" in text
    assert "| `smschannel_configuration.c` | replace |  |" in text
    assert "s3cr3t" not in text and "n3w" not in text and "configuration.d" not in text
    assert summary_markdown({"resource_changes": []}).endswith("No changes.\n")


def test_mirror_layout_is_the_same_bytes_everywhere(tmp_path: Path) -> None:
    one = install_mirror(tmp_path / "a", version="1.2.3")
    two = install_mirror(tmp_path / "b", version="1.2.3")
    assert one.relative_to(tmp_path / "a").as_posix() == (
        f"registry.terraform.io/smschannel/smschannel/1.2.3/{platform_name()}/terraform-provider-smschannel_v1.2.3")
    assert one.read_bytes() == two.read_bytes() and one.stat().st_mode & 0o111
    assert str(tmp_path) not in one.read_text()  # no machine-specific path: lock files verify anywhere
    config = cli_config(tmp_path / "a")
    assert 'include = ["registry.terraform.io/smschannel/smschannel"]' in config
    assert 'exclude = ["registry.terraform.io/smschannel/smschannel"]' in config


def test_terraform_command(monkeypatch: pytest.MonkeyPatch) -> None:
    assert terraform_command()[-2:] == ["-m", "smschannel.terraform.tfexec"]
    monkeypatch.setenv("SMSCHANNEL_TERRAFORM", "no-such-terraform-here")
    with pytest.raises(TerraformError, match="SMSCHANNEL_TERRAFORM names no-such-terraform-here, which is not"):
        terraform_command()
