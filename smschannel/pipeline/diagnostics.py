"""Terraform's warnings and errors, read back from what it printed (a saved plan's JSON has none).

Without colour (`-no-color`, as in a pipeline) a diagnostic is a paragraph that starts with
`Warning: ` or `Error: ` at the start of a line; on a terminal Terraform draws it in a box:

    ╷
    │ Warning: Paste the webhook URL
    │
    │   with smschannel_webhook.inbound,
    │   on cdk.tf.json line 12, in resource.smschannel_webhook.inbound:
    │   12:       "name": "inbound-us",
    │
    │ smschannel_webhook "inbound-us": set ... in the Sinch dashboard
    ╵
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SOURCE_LINE = re.compile(r"^\s*(\d+:|on .+ line \d+|├|│|\(and \d+ more)")


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    """`Warning` or `Error`."""
    summary: str
    detail: str
    address: str | None = None

    def markdown(self) -> str:
        where = f" (`{self.address}`)" if self.address else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"**{self.summary}**{where}{detail}"


HEADER = re.compile(r"^(Warning|Error): \S")


def parse(text: str) -> list[Diagnostic]:
    """Every diagnostic in Terraform's output, in order, each once."""
    found: list[Diagnostic] = []
    for block in _blocks(ANSI.sub("", text).splitlines()):
        diagnostic = _read_box(block)
        if diagnostic is not None and diagnostic not in found:
            found.append(diagnostic)
    return found


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    box: list[str] | None = None  # inside ╷ ... ╵
    plain: list[str] | None = None  # a -no-color paragraph, until two blank lines or the next header
    for raw in lines:
        line = raw.rstrip()
        if line.startswith("╷"):
            box = []
        elif line.startswith("╵"):
            if box:
                blocks.append(box)
            box = None
        elif box is not None:
            box.append(line[1:].removeprefix(" ") if line.startswith("│") else line)
        elif HEADER.match(line):
            plain = [line]
            blocks.append(plain)
        elif plain is not None:
            if not line and plain and not plain[-1]:
                plain = None
            else:
                plain.append(line)
    return blocks


def _read_box(lines: list[str]) -> Diagnostic | None:
    head = lines[0].strip()
    severity, _, summary = head.partition(": ")
    if severity not in ("Warning", "Error"):
        return None
    address = None
    detail: list[str] = []
    for line in lines[1:]:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("with ") and stripped.endswith(","):
            address = stripped[5:-1]
            continue
        if SOURCE_LINE.match(stripped):
            continue
        detail.append(stripped)
    return Diagnostic(severity, summary.strip(), " ".join(detail), address)


__all__ = ["Diagnostic", "parse"]
