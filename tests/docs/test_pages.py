"""The generated pages: complete (every attribute, the import ID format, the provider's settings) and
rendered by a generator that needs no change for a new resource."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

import pytest

from smschannel.docs import Layout, render_resource
from smschannel.model import RESOURCES
from smschannel.model.base import AttributeSpec, ResourceModel, attribute_specs
from smschannel.model.fields import attr, secret
from smschannel.model.secrets import SecretRef
from smschannel.model.types import ObjectId
from tests.docs.support import LAYOUT, Rendered


def page(rendered: Rendered, model: type[ResourceModel]) -> str:
    return rendered[0][LAYOUT.page(model)]


def all_specs(specs: tuple[AttributeSpec, ...]) -> list[AttributeSpec]:
    out = []
    for spec in specs:
        out += [spec, *all_specs(spec.block)]
    return out


def test_the_generator_finds_everything_it_documents(rendered: Rendered) -> None:
    """No missing example, import script, construct or docstring, and no attribute kind it does not know."""
    assert rendered[1] == []
    assert set(rendered[0]) == {LAYOUT.index, *(LAYOUT.page(m) for m in RESOURCES)}


@pytest.mark.parametrize("model", RESOURCES, ids=lambda m: m.type_name)
def test_every_attribute_appears_in_its_page(rendered: Rendered,
                                             model: type[ResourceModel]) -> None:
    text = page(rendered, model)
    missing = [s.name for s in all_specs(attribute_specs(model)) if not re.search(rf"^- `{s.name}` \(", text, re.M)]
    assert missing == []
    assert f"# {model.type_name} (Resource)" in text


@pytest.mark.parametrize("model", RESOURCES, ids=lambda m: m.type_name)
def test_each_page_names_its_import_id_format(rendered: Rendered,
                                              model: type[ResourceModel]) -> None:
    text = page(rendered, model)
    import_section = text.split("\n## Import\n", 1)[1]
    if model.per_sandbox:
        assert "The import ID is the name of the sandbox (one object per sandbox)." in import_section
    else:
        assert f"The import ID is the object's `id` in the registry, which starts with `{model.id_prefix}_`." \
            in import_section
    assert LAYOUT.import_example(model).read_text().rstrip() in import_section


def test_provider_page_lists_every_setting_with_its_environment_variable(
        rendered: Rendered) -> None:
    from smschannel.model.provider_config import ProviderConfigModel

    text = rendered[0][LAYOUT.index]
    for spec in attribute_specs(ProviderConfigModel):
        assert re.search(rf"^- `{spec.name}` \([^)]*environment variable `{spec.env}`", text, re.M), spec.name
    for model in RESOURCES:
        assert f"(resources/{model.stem()}.md)" in text


def test_secrets_are_explained_once_and_flags_are_shown(rendered: Rendered) -> None:
    text = page(rendered, next(m for m in RESOURCES if m.type_name == "smschannel_sinch_rcs_credentials"))
    assert text.count("Each secret `X` below is given in one of two ways") == 1
    assert "- `api_token` (String, Sensitive) " in text and "- `sms_api_token` (String, Sensitive) " in text
    configuration = page(rendered, next(m for m in RESOURCES if m.type_name == "smschannel_configuration"))
    assert "- `name` (String, Forces replacement) " in configuration
    assert "- `execution_field` (String) " in configuration and "`mobilePhone.number`" in configuration


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
