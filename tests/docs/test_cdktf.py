"""The CDKTF (Python) snippet of each page synthesizes what the HCL example declares."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from smschannel.docs import read_hcl, terraform_json
from smschannel.model import RESOURCES
from smschannel.model.base import ResourceModel
from tests.docs.support import LAYOUT, Rendered


def python_snippet(text: str) -> str:
    match = re.search(r"### CDKTF \(Python\)\n.*?```python\n(.*?)```", text, re.S)
    assert match, "the page has no CDKTF snippet"
    return match.group(1)


@pytest.mark.parametrize("model", RESOURCES, ids=lambda m: m.type_name)
def test_cdktf_snippet_synthesizes_what_the_example_declares(
        rendered: Rendered, model: type[ResourceModel], tmp_path: Path) -> None:
    from cdktf import App

    namespace: dict[str, Any] = {}
    exec(compile(python_snippet(rendered[0][LAYOUT.page(model)]), f"{model.stem()}.md", "exec"), namespace)
    app = App(outdir=str(tmp_path))
    namespace["ChannelStack"](app, "example")
    app.synth()
    synthesized = json.loads((tmp_path / "stacks" / "example" / "cdk.tf.json").read_text())

    body = read_hcl(LAYOUT.example(model).read_text())
    expected: dict[str, Any] = {}
    for block in body.blocks:
        if block.type == "resource":
            expected.setdefault("resource", {}).setdefault(block.labels[0], {})[block.labels[1]] = \
                terraform_json(block.body)
        elif block.type == "output":
            expected.setdefault("output", {})[block.labels[0]] = terraform_json(block.body)
    got = {section: {k: {n: {a: v for a, v in attrs.items() if a != "//"} for n, attrs in items.items()}
                     for k, items in synthesized[section].items()} if section == "resource" else
           {k: {a: v for a, v in item.items() if a != "//"} for k, item in synthesized[section].items()}
           for section in expected}
    assert got == expected
