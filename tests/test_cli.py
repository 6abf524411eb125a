"""The command line: arguments in, one line out on a mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from smschannel.cli import app
from smschannel.registry import storage


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_outside_a_project_is_one_line(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["plan"])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: no cdktf.json in {tmp_path.resolve()} or above: run smschannel in a " \
                                    "CDKTF project"


def test_provider_install_into_a_mirror(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["provider", "install", "--mirror", str(tmp_path / "mirror")])
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "mirror").rglob("terraform-provider-smschannel_v*"))
    assert "filesystem_mirror" in result.output


def test_token_create(runner: CliRunner, tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    result = runner.invoke(app, ["token", "create", "ci", "--scope", "sms_settings.read", "--sandbox", "prod",
                                 "--database", database])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    db = storage.Database(f"sqlite:///{database}")
    with db.session() as session:
        row = storage.find_token(session, token)
        assert row is not None and row.grants == {"prod": ["sms_settings.read"]}
    db.dispose()
    bad = runner.invoke(app, ["token", "create", "ci", "--scope", "everything", "--database", database])
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: unknown scope everything: choose from sms_settings.read")


def test_stack_choice_is_explained(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "cdktf.json").write_text('{"app": "python3 -c pass", "output": "out"}')
    result = runner.invoke(app, ["plan", "--project", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: choose a stack with --stack: found none"
