"""The public surface of the vendor clients and emulators, and what importing the clients costs."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import smschannel.emulators
import smschannel.providers.vendors


def _isort_style(name: str) -> tuple[int, str]:
    """Constants first, then classes, then functions, as ruff's RUF022 orders `__all__`."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize(
    "package", [smschannel.providers.vendors, smschannel.emulators], ids=lambda p: p.__name__
)
def test_all_is_sorted_and_complete(package: types.ModuleType) -> None:
    exported = package.__all__
    assert exported == sorted(set(exported), key=_isort_style)
    public = {
        name
        for name, value in vars(package).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert set(exported) == public


def test_the_clients_import_neither_web_frameworks_nor_test_tools() -> None:
    """The Terraform provider imports the clients several times per plan: keep that import small."""
    heavy = (
        "fastapi",
        "starlette",
        "uvicorn",
        "pydantic",
        "cdktf",
        "openapi_core",
        "yaml",
        "smschannel.emulators",
    )
    code = (
        "import sys, smschannel.providers.vendors\n"
        f"print(sorted({{m for m in sys.modules if m.startswith({heavy!r})}}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
