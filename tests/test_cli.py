"""The command line: arguments in, one line out on a mistake."""

from __future__ import annotations

import re
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
    lines = result.output.strip().splitlines()
    assert lines[0] == "Synthesizing the CDKTF app (python3 -c pass)..."  # progress, on stderr
    assert re.fullmatch(r"Synthesized no stack in \d+\.\d s\.", lines[1])
    assert lines[2:] == ["Error: choose a stack with --stack: found none"]


@pytest.mark.parametrize("command", ["apply", "destroy"])
def test_without_a_terminal_approval_needs_the_flag(runner: CliRunner, tmp_path: Path, command: str) -> None:
    (tmp_path / "cdktf.json").write_text('{"app": "python3 -c \\"raise SystemExit(9)\\""}')
    result = runner.invoke(app, [command, "--project", str(tmp_path)])
    assert result.exit_code == 1
    hint = ", or apply a saved plan (smschannel plan --out FILE, then smschannel apply FILE)" if command == "apply" \
        else ""
    assert result.output.strip() == (f"Error: smschannel {command} needs approval and there is no terminal to ask "
                                     f"on: pass --auto-approve{hint}")
    # With the flag it goes on (here to the app, which fails: nothing was approved by default).
    flagged = runner.invoke(app, [command, "--auto-approve", "--project", str(tmp_path)])
    assert "synth failed" in flagged.output


def test_help_reads_like_terraforms(runner: CliRunner) -> None:
    shown = runner.invoke(app, ["plan", "--help"], prog_name="smschannel").output
    assert shown.startswith("Usage: smschannel plan [OPTIONS]\n\n  Show what apply would change.\n\nOptions:\n")
    assert "  --detailed-exitcode  Exit 0 with no changes, 2 with changes, 1 on an error.\n" in shown
    assert "<bool>" not in shown and "╭" not in shown and "\x1b[" not in shown
    serve = runner.invoke(app, ["serve", "-h"]).output
    assert "postgresql+psycopg://user@db/smschannel" in serve and "SMSCHANNEL_REGISTRY_PUBLIC_URL" in serve
    assert "--public-url URL" in serve


def test_errors_have_no_colour_off_a_terminal(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", "--project", str(tmp_path)], color=False)
    assert "\x1b[" not in result.output and result.output.startswith("Error: no cdktf.json")
