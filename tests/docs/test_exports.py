"""The public surface of smschannel.docs."""

from __future__ import annotations

import types

import smschannel.docs as docs


def _isort_style(name: str) -> tuple[int, str]:
    """Constants first, then classes, then functions, as ruff's RUF022 orders `__all__`."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_unique_and_complete() -> None:
    assert docs.__all__ == sorted(set(docs.__all__), key=_isort_style)
    public = {
        name
        for name, value in vars(docs).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert set(docs.__all__) == public
