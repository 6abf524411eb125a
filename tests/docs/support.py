"""What the docs tests share: the repository and its layout."""

from __future__ import annotations

from pathlib import Path

from smschannel.docs import Layout

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = Layout(ROOT)

Rendered = tuple[dict[Path, str], list[str]]
"""Every generated file with its content, and the warnings rendering gave."""
