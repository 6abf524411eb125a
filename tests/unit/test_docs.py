"""The generated docs: fresh, complete (every attribute, the import ID format), a CDKTF snippet that
synthesizes what the HCL example declares, and a generator that needs no change for a new resource."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from smschannel.docs import (
    Expression,
    Layout,
    Reference,
    attribute_line,
    block_value,
    main,
    parse_hcl,
    render,
    render_resource,
    terraform_json,
)
from smschannel.model import RESOURCES
from smschannel.model.base import AttributeSpec, ResourceModel, attribute_specs
from smschannel.model.fields import attr, secret
from smschannel.model.secrets import SecretRef
from smschannel.model.types import ObjectId

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = Layout(ROOT)


@pytest.fixture(scope="module")
def rendered() -> tuple[dict[Path, str], list[str]]:
    warnings: list[str] = []
    return render(ROOT, warn=warnings.append), warnings


def page(rendered: tuple[dict[Path, str], list[str]], model: type[ResourceModel]) -> str:
    return rendered[0][LAYOUT.page(model)]


def all_specs(specs: tuple[AttributeSpec, ...]) -> list[AttributeSpec]:
    out = []
    for spec in specs:
        out += [spec, *all_specs(spec.block)]
    return out


def test_docs_are_up_to_date() -> None:
    done = subprocess.run([sys.executable, "-m", "smschannel.docs", "--check"], cwd=ROOT, capture_output=True,
                          text=True)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def test_the_generator_finds_everything_it_documents(rendered: tuple[dict[Path, str], list[str]]) -> None:
    """No missing example, import script, construct or docstring, and no attribute kind it does not know."""
    assert rendered[1] == []
    assert set(rendered[0]) == {LAYOUT.index, *(LAYOUT.page(m) for m in RESOURCES)}


@pytest.mark.parametrize("model", RESOURCES, ids=lambda m: m.type_name)
def test_every_attribute_appears_in_its_page(rendered: tuple[dict[Path, str], list[str]],
                                             model: type[ResourceModel]) -> None:
    text = page(rendered, model)
    missing = [s.name for s in all_specs(attribute_specs(model)) if not re.search(rf"^- `{s.name}` \(", text, re.M)]
    assert missing == []
    assert f"# {model.type_name} (Resource)" in text


@pytest.mark.parametrize("model", RESOURCES, ids=lambda m: m.type_name)
def test_each_page_names_its_import_id_format(rendered: tuple[dict[Path, str], list[str]],
                                              model: type[ResourceModel]) -> None:
    text = page(rendered, model)
    import_section = text.split("\n## Import\n", 1)[1]
    assert f"The import ID is the object's `id` in the registry, which starts with `{model.id_prefix}_`." \
        in import_section
    assert LAYOUT.import_example(model).read_text().rstrip() in import_section


def test_provider_page_lists_every_setting_with_its_environment_variable(
        rendered: tuple[dict[Path, str], list[str]]) -> None:
    from smschannel.model.provider_config import ProviderConfigModel

    text = rendered[0][LAYOUT.index]
    for spec in attribute_specs(ProviderConfigModel):
        assert re.search(rf"^- `{spec.name}` \([^)]*environment variable `{spec.env}`", text, re.M), spec.name
    for model in RESOURCES:
        assert f"(resources/{model.stem()}.md)" in text


def test_secrets_are_explained_once_and_flags_are_shown(rendered: tuple[dict[Path, str], list[str]]) -> None:
    text = page(rendered, next(m for m in RESOURCES if m.type_name == "smschannel_sinch_rcs_credentials"))
    assert text.count("Each secret `X` below is given in one of two ways") == 1
    assert "- `api_token` (String, Sensitive) " in text and "- `sms_api_token` (String, Sensitive) " in text
    configuration = page(rendered, next(m for m in RESOURCES if m.type_name == "smschannel_configuration"))
    assert "- `name` (String, Forces replacement) " in configuration
    assert "- `execution_field` (String) " in configuration and "`mobilePhone.number`" in configuration


def python_snippet(text: str) -> str:
    match = re.search(r"### CDKTF \(Python\)\n.*?```python\n(.*?)```", text, re.S)
    assert match, "the page has no CDKTF snippet"
    return match.group(1)


@pytest.mark.parametrize("model", RESOURCES, ids=lambda m: m.type_name)
def test_cdktf_snippet_synthesizes_what_the_example_declares(
        rendered: tuple[dict[Path, str], list[str]], model: type[ResourceModel], tmp_path: Path) -> None:
    from cdktf import App

    namespace: dict[str, Any] = {}
    exec(compile(python_snippet(page(rendered, model)), f"{model.stem()}.md", "exec"), namespace)
    app = App(outdir=str(tmp_path))
    namespace["ChannelStack"](app, "example")
    app.synth()
    synthesized = json.loads((tmp_path / "stacks" / "example" / "cdk.tf.json").read_text())

    body = parse_hcl(LAYOUT.example(model).read_text())
    expected: dict[str, Any] = {}
    for block in body.blocks:
        if block.type == "resource":
            expected.setdefault("resource", {}).setdefault(block.labels[0], {})[block.labels[1]] = \
                terraform_json(block_value(block.body))
        elif block.type == "output":
            expected.setdefault("output", {})[block.labels[0]] = terraform_json(block_value(block.body))
    got = {section: {k: {n: {a: v for a, v in attrs.items() if a != "//"} for n, attrs in items.items()}
                     for k, items in synthesized[section].items()} if section == "resource" else
           {k: {a: v for a, v in item.items() if a != "//"} for k, item in synthesized[section].items()}
           for section in expected}
    assert got == expected


def test_parse_hcl_reads_blocks_literals_references_and_keeps_other_expressions() -> None:
    body = parse_hcl('''
resource "smschannel_webhook" "w" {
  name    = "a \\"quoted\\" name" # a comment
  count   = 2
  enabled = true
  ids     = [smschannel_twilio_credentials.main.id, "x"]
  tags = {
    team = "growth"
  }
  upper = upper("stop")
  text  = <<-EOT
    Hello ${var.name}
  EOT
  opt_out {
    keywords = ["STOP"]
  }
  custom { keywords = ["A"] }
  custom { keywords = ["B"] }
}
''')
    block = body.blocks[0]
    assert (block.type, block.labels) == ("resource", ("smschannel_webhook", "w"))
    assert block_value(block.body) == {
        "name": 'a "quoted" name', "count": 2, "enabled": True,
        "ids": [Reference(("smschannel_twilio_credentials", "main", "id")), "x"], "tags": {"team": "growth"},
        "upper": Expression('upper("stop")'), "text": "Hello ${var.name}\n",
        "opt_out": {"keywords": ["STOP"]}, "custom": [{"keywords": ["A"]}, {"keywords": ["B"]}],
    }


class GadgetModel(ResourceModel):
    """A resource nobody wrote docs code for."""

    type_name: ClassVar[str] = "smschannel_gadget"
    title: ClassVar[str] = "gadget"
    scope: ClassVar[str] = "sms_settings"
    id_prefix: ClassVar[str] = "gdg"

    id: ObjectId | None = attr("The registry's ID of the gadget.", computed=True)
    label: str = attr("What the gadget is called.", replace=True)
    size: int = attr("How big it is.", default=3)
    key: SecretRef | None = secret("The gadget's key.", example_env="GADGET_KEY")


def test_a_new_resource_gets_a_page_with_no_change_to_the_generator(tmp_path: Path) -> None:
    warnings: list[str] = []
    text = render_resource(GadgetModel, Layout(tmp_path), warn=warnings.append)
    assert "# smschannel_gadget (Resource)\n\nA resource nobody wrote docs code for.\n" in text
    assert "- `label` (String, Forces replacement) What the gadget is called.\n" in text
    assert "- `size` (Number) How big it is. When unset, `3`.\n" in text  # the default, stated as behaviour
    assert "- `key_env` (String) The name of the environment variable that holds `key` (recommended)." in text
    assert "- `key` (String, Sensitive) The gadget's key.\n" in text
    assert "- `key_fingerprint` (String) " in text and "starts with `gdg_`" in text
    assert warnings == ["examples/resources/smschannel_gadget/resource.tf is missing: the page has no example",
                        "examples/resources/smschannel_gadget/import.sh is missing: the page has no import command"]


def test_an_unknown_kind_is_rendered_generically_with_a_warning() -> None:
    warnings: list[str] = []
    spec = AttributeSpec("matrix", "matrix", "grid", "A grid of cells.", element="number")  # type: ignore[arg-type]
    line = attribute_line(spec, warn=warnings.append, where="smschannel_gadget")
    assert line == "- `matrix` (Grid of Number) A grid of cells."
    assert warnings == ["smschannel_gadget: matrix has kind 'grid', which the docs do not know: rendered as 'Grid'"]


def test_check_mode_names_stale_pages_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("docs", "examples", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    stale_page = tmp_path / "docs" / "resources" / f"{RESOURCES[0].stem()}.md"
    stale_page.write_text(stale_page.read_text() + "edited by hand\n")
    (tmp_path / "docs" / "index.md").unlink()
    (tmp_path / "docs" / "resources" / "gone.md").write_text("a resource type that was removed\n")
    before = {p: p.read_text() for p in (tmp_path / "docs").rglob("*.md")}

    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "docs/index.md is missing: run `make docs`",
        f"docs/resources/{RESOURCES[0].stem()}.md is out of date: run `make docs`",
        "docs/resources/gone.md belongs to no resource any more: run `make docs` to remove it",
    ]
    assert {p: p.read_text() for p in (tmp_path / "docs").rglob("*.md")} == before

    assert main(["--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0
    assert not (tmp_path / "docs" / "resources" / "gone.md").exists()
