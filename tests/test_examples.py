"""The examples: one per resource type, `terraform fmt`-formatted, valid under the models' rules (checked
by the provider itself through a real `terraform validate`), secrets through `_env`, import scripts that
name the registry's ID format. The CI examples are checked in tests/pipeline/test_ci_examples.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from smschannel.docs import HclFile, read_hcl
from smschannel.model import RESOURCES, ConfigurationModel
from smschannel.model.base import ResourceModel, attribute_specs, check
from smschannel.terraform.runner import Terraform

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CONTROL = "control"
"""A module with deliberately broken values: proves that validate really runs the models' rules."""
BROKEN: dict[str, Any] = {"name": "9-lives", "channel": "fax", "sms_type": "marketing",
                          "credentials_id": "twcred_0123456789abcdef", "sender_number": "+1415"}
VERSIONS = """terraform {
  required_providers {
    smschannel = {
      source = "smschannel/smschannel"
    }
  }
}
"""


def read_example(path: Path) -> HclFile:
    return read_hcl(path.read_text(), filename=str(path.relative_to(ROOT)))


def resource_names(body: HclFile, type_name: str) -> list[str]:
    return [b.labels[1] for b in body.blocks if b.type == "resource" and b.labels[0] == type_name]


def hcl_files() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.tf"))


@pytest.mark.parametrize("model", RESOURCES, ids=lambda m: m.type_name)
def test_every_resource_has_an_example_and_an_import_script(model: type[ResourceModel]) -> None:
    folder = EXAMPLES / "resources" / model.type_name
    assert (folder / "resource.tf").is_file(), f"add {folder.relative_to(ROOT)}/resource.tf"
    assert (folder / "import.sh").is_file(), f"add {folder.relative_to(ROOT)}/import.sh"
    assert resource_names(read_example(folder / "resource.tf"), model.type_name), \
        f"{folder.relative_to(ROOT)}/resource.tf declares no {model.type_name}"


@pytest.mark.terraform
def test_examples_are_formatted_with_terraform_fmt() -> None:
    assert hcl_files()
    done = subprocess.run([sys.executable, "-m", "smschannel.terraform.tfexec", "fmt", "-check", "-diff", "-recursive",
                           "examples"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"run `make docs` (it formats the examples):\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """`terraform validate -json` over every example at once, the diagnostics grouped by example file.

    The root module holds the provider example and the import walk-through (import blocks belong in a
    root module); each resource example is a child module, so their names cannot collide."""
    work = tmp_path_factory.mktemp("examples")
    root = work / "root"
    files: dict[str, str] = {}
    for source in [EXAMPLES / "provider" / "provider.tf", *sorted((EXAMPLES / "import").glob("*.tf"))]:
        target = root / f"{source.parent.name}_{source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text())
        files[target.name] = str(source.relative_to(ROOT))
    modules = []
    for source in sorted((EXAMPLES / "resources").glob("*/resource.tf")):
        name = source.parent.name
        (root / "modules" / name).mkdir(parents=True)
        (root / "modules" / name / "versions.tf").write_text(VERSIONS)
        (root / "modules" / name / "resource.tf").write_text(source.read_text())
        files[f"modules/{name}/resource.tf"] = str(source.relative_to(ROOT))
        modules.append(name)
    (root / "modules" / CONTROL).mkdir()
    (root / "modules" / CONTROL / "versions.tf").write_text(VERSIONS)
    body = "".join(f"  {k} = {json.dumps(v)}\n" for k, v in BROKEN.items())
    (root / "modules" / CONTROL / "main.tf").write_text(f'resource "smschannel_configuration" "broken" {{\n{body}}}\n')
    files[f"modules/{CONTROL}/main.tf"] = CONTROL
    (root / "modules.tf").write_text("".join(f'module "{m}" {{\n  source = "./modules/{m}"\n}}\n\n'
                                             for m in [*modules, CONTROL]))

    tf = Terraform(root, work / "home")
    init = tf.init(capture=True)
    assert init.returncode == 0, init.stdout + init.stderr
    done = tf.run(["validate", "-json", "-no-color"], capture=True)
    report = json.loads(done.stdout)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for diagnostic in report["diagnostics"]:
        filename = diagnostic.get("range", {}).get("filename", "")
        grouped.setdefault(files.get(filename, filename or "(no file)"), []).append(diagnostic)
    return grouped


@pytest.mark.terraform
def test_examples_pass_terraform_validate_and_the_models_rules(validated: dict[str, list[dict[str, Any]]]) -> None:
    problems = [f"{where}: {d['severity']}: {d['summary']}: {d.get('detail', '')}"
                for where, found in validated.items() if where != CONTROL for d in found]
    assert problems == []


@pytest.mark.terraform
def test_validate_runs_the_models_rules_on_the_examples(validated: dict[str, list[dict[str, Any]]]) -> None:
    expected = [p.line('smschannel_configuration "9-lives"') for p in check(ConfigurationModel, BROKEN)]
    assert len(expected) >= 3  # the broken values break several rules
    assert sorted(d["detail"] for d in validated.get(CONTROL, [])) == sorted(expected)


@pytest.mark.parametrize("path", hcl_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_secrets_are_given_through_env_variables(path: Path) -> None:
    by_type = {m.type_name: m for m in RESOURCES}
    for block in read_example(path).blocks:
        model = by_type.get(block.labels[0]) if block.type == "resource" else None
        if model is None:
            continue
        for spec in attribute_specs(model):
            if spec.role == "secret_value":
                where = f"{path.relative_to(ROOT)}: {'.'.join(block.labels)}"
                assert spec.name not in block.body, f"{where}: give {spec.name} as {spec.name}_env"
                if spec.secret_required:
                    assert isinstance(block.body.get(f"{spec.name}_env"), str), \
                        f"{where}: {spec.name}_env is missing"


@pytest.mark.parametrize("model", RESOURCES, ids=lambda m: m.type_name)
def test_import_scripts_name_the_id_format(model: type[ResourceModel]) -> None:
    folder = EXAMPLES / "resources" / model.type_name
    script = (folder / "import.sh").read_text()
    names = "|".join(map(re.escape, resource_names(read_example(folder / "resource.tf"), model.type_name)))
    object_id = rf"{re.escape(model.id_prefix)}_[0-9a-f]{{16}}"
    assert script.startswith(f"# The import ID is the object's id in the registry ({model.type_name}: "
                             f"{model.id_prefix}_ followed by 16 hex digits).\n")
    commands = [line for line in script.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert re.fullmatch(rf"smschannel import {model.type_name}\.({names}) {object_id}", commands[0])
    assert re.fullmatch(rf"terraform import {model.type_name}\.({names}) {object_id}", commands[1])
