"""The public surface of smschannel.keywords."""

from __future__ import annotations

import smschannel.keywords as keywords


def _isort_style(name: str) -> tuple[int, str]:
    """Constants first, then classes, then functions, as ruff's RUF022 orders `__all__`."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_unique_and_resolves() -> None:
    assert keywords.__all__ == sorted(set(keywords.__all__), key=_isort_style)
    assert all(hasattr(keywords, name) for name in keywords.__all__)


def test_all_exports_every_public_name_of_the_package_namespace() -> None:
    public = {
        name
        for name, value in vars(keywords).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("smschannel.keywords")
    }
    assert public <= set(keywords.__all__)


def test_integration_surface() -> None:
    assert {
        "Category",
        "Decision",
        "Engine",
        "KeywordRules",
        "Pending",
        "normalize",
        "encode_info",
        "SegmentInfo",
        "DEFAULT_OPT_OUT",
        "DEFAULT_OPT_IN",
        "DEFAULT_HELP",
        "DEFAULT_FUZZY_CONFIRM",
        "DEFAULT_FUZZY_WINDOW_MINUTES",
    } <= set(keywords.__all__)
