"""Attributes as Markdown list items."""

from __future__ import annotations

from smschannel.docs import attribute_line
from smschannel.model.base import AttributeSpec


def test_an_unknown_kind_is_rendered_generically_with_a_warning() -> None:
    warnings: list[str] = []
    spec = AttributeSpec("matrix", "matrix", "grid", "A grid of cells.", element="number")  # type: ignore[arg-type]
    line = attribute_line(spec, warn=warnings.append, where="smschannel_gadget")
    assert line == "- `matrix` (Grid of Number) A grid of cells."
    assert warnings == ["smschannel_gadget: matrix has kind 'grid', which the docs do not know: rendered as 'Grid'"]
