"""Generate `docs/` from the models, the examples and the hand-written notes.

The command line of `python -m smschannel.docs` (`make docs`): format `examples/` with `terraform fmt`,
then write the pages; with `--check`, write nothing and list what regenerating would change.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from smschannel.docs._constructs import render_constructs
from smschannel.docs._files import MAKE_DOCS, stale, terraform_fmt, write
from smschannel.docs._layout import Layout, default_root
from smschannel.docs._pages import render
from smschannel.errors import SmschannelError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smschannel.docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; list the files that regenerating would change and exit 1 if any")
    parser.add_argument("--root", type=Path, default=None, help="the repository (default: this checkout)")
    args = parser.parse_args(argv)
    layout = Layout((args.root or default_root()).resolve())

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    try:
        if args.check:
            problems = [f"{name} is not formatted with terraform fmt: {MAKE_DOCS}"
                        for name in terraform_fmt(layout, check=True)]
            problems += stale({**render(layout.root, warn=warn), **render_constructs(layout.root)}, layout)
            for line in problems:
                print(line)
            return 1 if problems else 0
        done = [f"formatted {name}" for name in terraform_fmt(layout, check=False)]
        done += write({**render(layout.root, warn=warn), **render_constructs(layout.root)}, layout)
    except SmschannelError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    for line in done or ["docs/ is up to date"]:
        print(line)
    return 0
