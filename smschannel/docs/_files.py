"""Bringing the files up to date: `terraform fmt` over `examples/`, the pages that regenerating would
change (`stale`), and writing them (`write`)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from smschannel.docs._errors import DocsError
from smschannel.docs._layout import Layout, read_file

MAKE_DOCS = "run `make docs`"


def terraform_fmt(layout: Layout, *, check: bool) -> list[str]:
    """`terraform fmt` over examples/: the files it would change (check) or changed."""
    if not layout.examples.is_dir():
        return []
    from smschannel.terraform.runner import terraform_command

    args = ["fmt", "-recursive", "-list=true", *(["-check"] if check else []), "examples"]
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    done = subprocess.run([*terraform_command(), *args], cwd=layout.root, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 3):
        detail = " ".join(done.stderr.split()) or f"exit {done.returncode}"
        raise DocsError(f"terraform fmt cannot read examples/: {detail}")
    return [line.strip() for line in done.stdout.splitlines() if line.strip().endswith(".tf")]


def stale(pages: Mapping[Path, str], layout: Layout) -> list[str]:
    """One line per file that writing `pages` would change."""
    lines = []
    for path, text in pages.items():
        current = read_file(path)
        if current is None:
            lines.append(f"{layout.relative(path)} is missing: {MAKE_DOCS}")
        elif current != text:
            lines.append(f"{layout.relative(path)} is out of date: {MAKE_DOCS}")
    for path in _orphans(pages, layout):
        lines.append(f"{layout.relative(path)} belongs to no resource any more: {MAKE_DOCS} to remove it")
    return lines


def _orphans(pages: Mapping[Path, str], layout: Layout) -> list[Path]:
    folder = layout.docs / "resources"
    return sorted(p for p in folder.glob("*.md") if p not in pages) if folder.is_dir() else []


def write(pages: Mapping[Path, str], layout: Layout) -> list[str]:
    """Write what changed and remove pages of resource types that are gone; say what was done."""
    done = []
    for path, text in pages.items():
        if read_file(path) != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            done.append(f"wrote {layout.relative(path)}")
    for path in _orphans(pages, layout):
        path.unlink()
        done.append(f"removed {layout.relative(path)}")
    return done

