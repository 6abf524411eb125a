"""Generate `docs/` from the models, the examples and the hand-written notes.

`python -m smschannel.docs` (`make docs`) first formats `examples/` with `terraform fmt`, then writes

- `docs/index.md`: the provider's overview (`templates/index.md`), the example
  `examples/provider/provider.tf` with its CDKTF equivalent, and the provider block's settings with
  their environment variables (`ProviderConfigModel`);
- `docs/resources/<stem>.md` for every model in `smschannel.model.RESOURCES`: the model's docstring, the
  notes of `templates/resources/<stem>.md`, the example `examples/resources/<type>/resource.tf` and its
  CDKTF Python equivalent, the argument reference and the attribute reference (both from
  `attribute_specs`), and the import command of `examples/resources/<type>/import.sh`.

Nothing here names a resource type: a model added to `RESOURCES` gets its page as it is. What is
missing (an example, a construct) is left out of the page with a warning on stderr.

`--check` writes nothing: it prints one line per file that regenerating would change (and per example
that `terraform fmt` would change) and exits 1.

The modules, each importing only those above it:

- `_errors`: `DocsError` and `Warn`;
- `_layout`: where the generator reads and writes (`Layout`);
- `_hcl`: what the generator reads from an HCL example (parsed by python-hcl2), and its Terraform JSON
  form;
- `_cdktf`: the CDKTF (Python) equivalent of an example (`cdktf_python`);
- `_attributes`: attributes as Markdown list items (`attribute_line`);
- `_pages`: the Markdown pages (`render`, `render_resource`, `render_index`);
- `_files`: `terraform fmt`, what is stale, writing (`stale`, `write`);
- `_cli`: the command line (`main`).
"""

from __future__ import annotations

from smschannel.docs._attributes import attribute_line
from smschannel.docs._cdktf import cdktf_python, construct_classes
from smschannel.docs._cli import main
from smschannel.docs._errors import DocsError, Warn
from smschannel.docs._files import stale, write
from smschannel.docs._hcl import (
    Expression,
    HclBlock,
    HclFile,
    HclValue,
    Reference,
    iter_references,
    read_hcl,
    terraform_json,
)
from smschannel.docs._layout import Layout
from smschannel.docs._pages import render, render_index, render_resource

__all__ = [
    "DocsError",
    "Expression",
    "HclBlock",
    "HclFile",
    "HclValue",
    "Layout",
    "Reference",
    "Warn",
    "attribute_line",
    "cdktf_python",
    "construct_classes",
    "iter_references",
    "main",
    "read_hcl",
    "render",
    "render_index",
    "render_resource",
    "stale",
    "terraform_json",
    "write",
]
