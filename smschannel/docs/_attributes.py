"""Attributes as Markdown: one list item per attribute (kind, flags, description with its default),
the secrets explained once, and nested blocks grouped into their own schemas."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from smschannel.docs._errors import Warn
from smschannel.model.base import AttributeSpec, ResourceModel

_KINDS = {"string": "String", "number": "Number", "bool": "Boolean", "list": "List", "map": "Map",
          "block": "Block"}
SECRET_ROLES = ("secret_value", "secret_env")


def _nested(spec: AttributeSpec) -> tuple[AttributeSpec, ...]:
    nested: tuple[AttributeSpec, ...] = getattr(spec, "block", ())
    return nested


def _secret_required(spec: AttributeSpec) -> bool:
    return bool(getattr(spec, "secret_required", True))


def _kind_label(spec: AttributeSpec, warn: Warn, where: str) -> str:
    label = _KINDS.get(spec.kind)
    if label is None:
        label = spec.kind.replace("_", " ").title()
        warn(f"{where}: {spec.name} has kind {spec.kind!r}, which the docs do not know: rendered as {label!r}")
    if spec.element:
        label += f" of {_KINDS.get(spec.element, spec.element.title())}"
    return label


def _hcl_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    return json.dumps(value)


def _mentions_default(description: str, default: Any) -> bool:
    values = default if isinstance(default, list | tuple) else [default]
    words = [_hcl_literal(v) for v in values]
    return all(re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", description, re.IGNORECASE) for w in words)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", ":", ")")) else text + "."


def describe(spec: AttributeSpec, *, warn: Warn, where: str) -> str:
    """The description, with the default stated as behaviour when the description does not say it."""
    text = _sentence(spec.description)
    if not text:
        warn(f"{where}: {spec.name} has no description")
    if spec.is_input and spec.default is not None and not _mentions_default(text, spec.default):
        text = f"{text} When unset, `{_hcl_literal(spec.default)}`.".strip()
    return text


def attribute_line(
    spec: AttributeSpec,
    *,
    warn: Warn,
    where: str,
    description: str | None = None,
    extra: Sequence[str] = (),
    anchor: str | None = None,
) -> str:
    """One attribute as a Markdown list item: name, kind and flags, then the description."""
    flags = [_kind_label(spec, warn, where)]
    if spec.sensitive:
        flags.append("Sensitive")
    if spec.replace:
        flags.append("Forces replacement")
    flags += extra
    text = describe(spec, warn=warn, where=where) if description is None else description
    if anchor:
        text += f" See [its nested schema](#{anchor})."
    return f"- `{spec.name}` ({', '.join(flags)}) {text}".rstrip()



SECRETS_INTRO = [
    "Each secret `X` below is given in one of two ways, never both:",
    "",
    "- `X_env` (recommended) names an environment variable that the provider reads when Terraform plans "
    "and applies. The secret then never appears in the configuration, the plan, the state or any log.",
    "- `X` holds the secret itself. Terraform stores it in the state, marked sensitive.",
    "",
    "Either way, the state and the registry's API keep only `X_fingerprint` (see the attribute reference), "
    "a keyed hash that changes when the secret changes, so a rotated secret shows as an update in the plan.",
    "",
]


def secret_lines(model: type[ResourceModel], specs: Sequence[AttributeSpec], warn: Warn) -> list[str]:
    lines: list[str] = []
    where = model.type_name
    fields = list(dict.fromkeys(s.field for s in specs))
    for name in fields:
        pair = {s.role: s for s in specs if s.field == name}
        value, env = pair.get("secret_value"), pair.get("secret_env")
        info = model.model_fields.get(name)
        what = _sentence(info.description or "") if info is not None else ""
        how = "exactly one of the two is required" if value is None or _secret_required(value) else (
            "at most one of the two")
        if env is not None:
            lines.append(attribute_line(
                env, warn=warn, where=where,
                description=f"The name of the environment variable that holds `{name}` (recommended). Set this "
                f"or `{name}`: {how}."))
        if value is not None:
            lines.append(attribute_line(value, warn=warn, where=where, description=what or describe(
                value, warn=warn, where=where)))
    return lines


@dataclass
class NestedGroup:
    """Blocks with the same attributes (e.g. every keyword category), documented once."""

    specs: tuple[AttributeSpec, ...]
    paths: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        names = [f"`{p}`" for p in self.paths]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"Nested Schema for {joined}"


def nested_groups(specs: Sequence[AttributeSpec], path: str = "") -> list[NestedGroup]:
    """The nested blocks under `specs`, depth first, blocks with equal attributes grouped."""
    groups: list[NestedGroup] = []
    for spec in specs:
        nested = _nested(spec)
        if not nested:
            continue
        group = next((g for g in groups if g.specs == nested), None)
        if group is None:
            group = NestedGroup(nested)
            groups.append(group)
        group.paths.append(f"{path}{spec.name}")
    for group in list(groups):
        groups += nested_groups(group.specs, f"{group.paths[0]}.")
    return groups


def _anchor(heading: str) -> str:
    """The anchor GitHub and the Terraform registry give a heading."""
    return re.sub(r"[^a-z0-9_ -]", "", heading.lower()).replace(" ", "-")


def argument_lines(
    specs: Sequence[AttributeSpec], groups: Sequence[NestedGroup], warn: Warn, where: str, path: str = ""
) -> tuple[list[str], list[str]]:
    """Required and optional items of the plain inputs; a block links to its nested schema."""
    required: list[str] = []
    optional: list[str] = []
    for spec in specs:
        if not spec.is_input or spec.role in SECRET_ROLES:
            continue
        group = next((g for g in groups if f"{path}{spec.name}" in g.paths), None)
        anchor = _anchor(group.heading) if group is not None else None
        line = attribute_line(spec, warn=warn, where=where, anchor=anchor)
        (required if spec.required else optional).append(line)
    return required, optional


def nested_sections(groups: Sequence[NestedGroup], warn: Warn, where: str) -> list[str]:
    lines: list[str] = []
    for group in groups:
        required, optional = argument_lines(group.specs, groups, warn, where, f"{group.paths[0]}.")
        lines += [f"### {group.heading}", ""]
        if required:
            lines += ["Required:", "", *required, ""]
        if optional:
            lines += ["Optional:", "", *optional, ""]
        computed = [attribute_line(s, warn=warn, where=where) for s in group.specs if s.computed]
        if computed:
            lines += ["Read-only:", "", *computed, ""]
    return lines

