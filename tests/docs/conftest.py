"""The pages the generator renders from this repository, once per test module."""

from __future__ import annotations

import pytest

from smschannel.docs import render
from tests.docs.support import ROOT, Rendered


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    warnings: list[str] = []
    return render(ROOT, warn=warnings.append), warnings
