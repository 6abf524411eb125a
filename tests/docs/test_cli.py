"""`python -m smschannel.docs`: the committed docs are fresh, and `--check` names stale pages and writes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smschannel.docs import main
from smschannel.model import RESOURCES
from tests.docs.support import ROOT


def test_docs_are_up_to_date() -> None:
    done = subprocess.run([sys.executable, "-m", "smschannel.docs", "--check"], cwd=ROOT, capture_output=True,
                          text=True)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def test_check_mode_names_stale_pages_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("docs", "examples", "templates", "smschannel/constructs"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    construct = tmp_path / "smschannel" / "constructs" / "webhook.py"
    construct.write_text(construct.read_text().replace("sender_number: str", "sender_number: int"))
    stale_page = tmp_path / "docs" / "resources" / f"{RESOURCES[0].stem()}.md"
    stale_page.write_text(stale_page.read_text() + "edited by hand\n")
    (tmp_path / "docs" / "index.md").unlink()
    (tmp_path / "docs" / "resources" / "gone.md").write_text("a resource type that was removed\n")
    before = {p: p.read_text() for p in (tmp_path / "docs").rglob("*.md")}

    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "docs/index.md is missing: run `make docs`",
        f"docs/resources/{RESOURCES[0].stem()}.md is out of date: run `make docs`",
        "smschannel/constructs/webhook.py is out of date: run `make docs`",
        "docs/resources/gone.md belongs to no resource any more: run `make docs` to remove it",
    ]
    assert {p: p.read_text() for p in (tmp_path / "docs").rglob("*.md")} == before

    assert main(["--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0
    assert not (tmp_path / "docs" / "resources" / "gone.md").exists()
