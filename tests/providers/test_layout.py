"""One home per SMS provider: outside its folder, no code chooses behaviour by a provider's name (the
registry, the plugin and the CLI ask `provider_for`). This test reads the source and fails on a
comparison, a dict key or a `case` with a provider's name outside `smschannel/providers/<name>/`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from smschannel.model import CREDENTIALS
from smschannel.providers import provider_for

PACKAGE = Path(__file__).resolve().parents[2] / "smschannel"
ABOUT_PROVIDERS = ("vendor", "kind", "provider", "stem", "type_name", "name")
"""A comparison with a provider's name is about providers when its other side mentions one of these."""


def provider_names() -> frozenset[str]:
    names = {m.vendor for m in CREDENTIALS} | {m.stem() for m in CREDENTIALS} | {m.type_name for m in CREDENTIALS}
    return frozenset(names | {provider_for(m).name for m in CREDENTIALS})


def _named(node: ast.AST, names: frozenset[str]) -> str | None:
    return node.value if isinstance(node, ast.Constant) and node.value in names else None


def _constants(node: ast.AST, names: frozenset[str]) -> list[str]:
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [n for n in (_named(e, names) for e in node.elts) if n]
    found = _named(node, names)
    return [found] if found else []


def name_choices(source: str, names: frozenset[str]) -> list[tuple[int, str]]:
    """(line, what) for every place in `source` that picks behaviour by a provider's name."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for index, operand in enumerate(operands):
                others = " ".join(ast.unparse(o) for i, o in enumerate(operands) if i != index)
                for name in _constants(operand, names):
                    if any(word in others for word in ABOUT_PROVIDERS):
                        found.append((node.lineno, f"compares {others} with {name!r}"))
        elif isinstance(node, ast.Dict):  # a table over providers (one name alone may be another word)
            keyed = [name for name in (_named(k, names) for k in node.keys if k is not None) if name]
            found += [(node.lineno, f"keys a dict by {', '.join(map(repr, keyed))}")] if len(keyed) > 1 else []
        elif isinstance(node, ast.MatchValue) and _named(node.value, names):
            found.append((node.lineno, f"matches case {_named(node.value, names)!r}"))
    return found


def own_folder(path: Path) -> bool:
    """A provider's own folder, or the emulators (one module per vendor, standing in for its API)."""
    parts = path.relative_to(PACKAGE).parts
    own = {provider_for(m).name for m in CREDENTIALS}
    return (parts[0] == "providers" and len(parts) > 2 and parts[1] in own) or parts[0] == "emulators"


def test_no_provider_name_chooses_behaviour_outside_its_folder() -> None:
    names = provider_names()
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
                 for path in sorted(PACKAGE.rglob("*.py")) if not own_folder(path)
                 for line, what in name_choices(path.read_text(), names)]
    assert offenders == []


@pytest.mark.parametrize("source", [
    'if vendor == "twilio":\n    pass\n',
    'if kind in ("sinch_mms_credentials", "sinch_rcs_credentials"):\n    pass\n',
    'MANUAL = {"sinch": "the dashboard", "custom": "its settings"}\n',
    'match webhook.vendor:\n    case "infobip":\n        pass\n',
    'ok = "custom" != model.vendor\n',
])
def test_the_check_finds_a_name_choice(source: str) -> None:
    assert name_choices(source, provider_names()) != []


def test_the_check_leaves_other_words_alone() -> None:
    assert name_choices('if mode == "custom":\n    pass\nlabel = "twilio"\n', provider_names()) == []
