"""The CDKTF (Python) equivalent of an HCL example: a stack of the smschannel constructs that
synthesizes the same Terraform JSON, construct IDs being the HCL names."""

from __future__ import annotations

import importlib
import json
import keyword
import pkgutil
import re
from collections.abc import Iterable, Mapping
from functools import cache

from smschannel.docs._errors import Warn
from smschannel.docs._hcl import (
    INTERPOLATION,
    Expression,
    HclFile,
    HclValue,
    Reference,
    iter_references,
    terraform_json,
)
from smschannel.model import RESOURCES
from smschannel.model.base import ResourceModel
from smschannel.model.provider_config import ProviderConfigModel

_LINE = 100  # longest line of a CDKTF snippet before an argument is split over several lines


@cache
def construct_classes() -> dict[type[ResourceModel], type]:
    """Each model's construct class (the `ModelConstruct` or `ModelProvider` subclass whose `model` it is)."""
    package = importlib.import_module("smschannel.constructs")  # cdktf starts Node: only when needed
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    base = importlib.import_module("smschannel.constructs.base")
    found: dict[type[ResourceModel], type] = {}
    pending: list[type] = [base.ModelConstruct, base.ModelProvider]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        model = cls.__dict__.get("model")
        if isinstance(model, type) and issubclass(model, ResourceModel):
            found[model] = cls
    return found


def _import_path(cls: type) -> str:
    package = importlib.import_module("smschannel.constructs")
    return package.__name__ if cls.__name__ in getattr(package, "__all__", ()) else cls.__module__


def _py_name(text: str, taken: set[str]) -> str:
    name = re.sub(r"\W", "_", text)
    if not name or name[0].isdigit() or keyword.iskeyword(name) or name in {"self", "scope", "id"}:
        name += "_"
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _py_literal(value: HclValue, variables: Mapping[tuple[str, ...], str], indent: int) -> str:
    """A Python expression for an HCL value; references to resources in the snippet become attributes."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _py_string(value, variables)
    if isinstance(value, Reference):
        variable = variables.get(value.parts[:2])
        if variable is not None and len(value.parts) <= 3:
            return ".".join((variable, *value.parts[2:]))
        return json.dumps(terraform_json(value), ensure_ascii=False)
    if isinstance(value, Expression):
        return json.dumps(terraform_json(value), ensure_ascii=False)
    if isinstance(value, list):
        items = [_py_literal(v, variables, indent + 4) for v in value]
        inline = "[" + ", ".join(items) + "]"
        if len(inline) + indent <= _LINE and "\n" not in inline:
            return inline
        pad = " " * (indent + 4)
        return "[\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + "]"
    pairs = [f"{json.dumps(k)}: {_py_literal(v, variables, indent + 4)}" for k, v in value.items()]
    inline = "{" + ", ".join(pairs) + "}"
    if len(inline) + indent <= _LINE and "\n" not in inline:
        return inline
    pad = " " * (indent + 4)
    return "{\n" + "".join(f"{pad}{pair},\n" for pair in pairs) + " " * indent + "}"


def _py_string(value: str, variables: Mapping[tuple[str, ...], str]) -> str:
    """A string; a template whose every `${...}` is an attribute of a construct becomes an f-string of tokens."""
    parts = re.split(r"(\$\{[^}]*\})", value)
    if len(parts) == 1:
        return json.dumps(value, ensure_ascii=False)
    pieces: list[str] = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pieces.append(json.dumps(part, ensure_ascii=False)[1:-1].replace("{", "{{").replace("}", "}}"))
            continue
        match = INTERPOLATION.fullmatch(part)
        target = tuple(match.group(1).split(".")) if match else ()
        variable = variables.get(target[:2])
        if variable is None or len(target) != 3 or (index > 0 and parts[index - 1].endswith("$")):
            return json.dumps(value, ensure_ascii=False)
        pieces.append("{" + f"{variable}.{target[2]}" + "}")
    return 'f"' + "".join(pieces) + '"'


def _py_call(
    target: str | None,
    cls_name: str,
    construct_id: str,
    arguments: Mapping[str, HclValue],
    variables: Mapping[tuple[str, ...], str],
) -> list[str]:
    indent = 12
    lines = [f"        {target + ' = ' if target else ''}{cls_name}(", f'            self, "{construct_id}",']
    for name, value in arguments.items():
        rendered = _py_literal(value, variables, indent)
        if name.isidentifier() and not keyword.iskeyword(name):
            lines.append(f"            {name}={rendered},")
        else:
            lines.append(f"            **{{{json.dumps(name)}: {rendered}}},")
    lines.append("        )")
    return lines


def cdktf_python(body: HclFile, *, warn: Warn, source: str = "the example") -> str | None:
    """The CDKTF (Python) stack that synthesizes what the HCL declares, or None when a resource of the
    HCL has no construct yet. Construct IDs are the HCL names, so the Terraform addresses match."""
    models: list[type[ResourceModel]] = [*RESOURCES, ProviderConfigModel]
    by_type = {m.type_name: m for m in models}
    classes = construct_classes()
    resources = [b for b in body.blocks if b.type == "resource" and len(b.labels) == 2]
    for block in resources:
        model = by_type.get(block.labels[0])
        if model is None or model not in classes:
            warn(f"{source}: no construct for {block.labels[0]}: the page shows no CDKTF equivalent")
            return None
    referenced = {tuple(r.parts[:2]) for r in iter_references(body) if len(r.parts) >= 2}
    names = [b.labels[1] for b in resources]
    variables: dict[tuple[str, ...], str] = {}
    ids: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for block in resources:
        kind, name = block.labels
        # Terraform allows one name for two types; construct IDs are unique in a stack.
        ids[(kind, name)] = name if names.count(name) == 1 else f"{by_type[kind].stem()}_{name}"
        if (kind, name) in referenced:
            variables[(kind, name)] = _py_name(ids[(kind, name)], taken)

    imports: dict[str, set[str]] = {"cdktf": {"TerraformStack"}, "constructs": {"Construct"}}
    calls: list[str] = []
    provider_model = classes.get(ProviderConfigModel)
    providers = [b for b in body.blocks if b.type == "provider" and b.labels[:1] == ("smschannel",)]
    if provider_model is not None:
        imports.setdefault(_import_path(provider_model), set()).add(provider_model.__name__)
        if not providers:
            calls.append(f'        {provider_model.__name__}(self, "smschannel")  '
                         "# endpoint, token and sandbox from the SMSCHANNEL_* variables")
    for block in body.blocks:
        if block.type == "terraform":
            continue  # CDKTF writes required_providers itself
        if block.type == "provider" and block in providers and provider_model is not None:
            calls += _py_call(None, provider_model.__name__, "smschannel", block.body, variables)
        elif block.type == "resource" and block in resources:
            kind, name = block.labels
            cls = classes[by_type[kind]]
            imports.setdefault(_import_path(cls), set()).add(cls.__name__)
            calls += _py_call(variables.get((kind, name)), cls.__name__, ids[(kind, name)],
                              block.body, variables)
        elif block.type == "output" and len(block.labels) == 1:
            imports["cdktf"].add("TerraformOutput")
            calls += _py_call(None, "TerraformOutput", block.labels[0], block.body, variables)
        else:
            labels = " ".join(json.dumps(label) for label in block.labels)
            calls.append(f"        # not shown: the {block.type} block {labels}".rstrip())
            warn(f"{source}: the {block.type} block is not translated to CDKTF")

    def import_line(module: str, names_: Iterable[str]) -> str:
        line = f"from {module} import {', '.join(sorted(names_))}"
        if len(line) <= _LINE:
            return line
        return f"from {module} import (\n" + "".join(f"    {n},\n" for n in sorted(names_)) + ")"

    third_party = [import_line(m, imports[m]) for m in sorted(imports) if not m.startswith("smschannel")]
    first_party = [import_line(m, imports[m]) for m in sorted(imports) if m.startswith("smschannel")]
    lines = [
        *third_party, "", *first_party, "", "",
        "class ChannelStack(TerraformStack):",
        "    def __init__(self, scope: Construct, id: str) -> None:",
        "        super().__init__(scope, id)",
        *calls,
    ]
    return "\n".join(lines) + "\n"

