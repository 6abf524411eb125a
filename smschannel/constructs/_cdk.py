"""Which CDK the constructs are built on: CDKTF (`cdktf`, the default) or CDK Terrain (`cdktn`), the
community fork HashiCorp's archived CDKTF users move to. The same constructs work under either.

The choice, made once when `smschannel.constructs` is first imported:

1. `SMSCHANNEL_CDK` (`cdktf` or `cdktn`), when set;
2. else the one the program has already imported (a stack that starts `from cdktn import App` gets
   CDK Terrain);
3. else the one installed (CDKTF first).

For type checkers the names are CDKTF's (CDK Terrain keeps the same classes under the new name).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from smschannel.errors import SmschannelError

CDKS = ("cdktf", "cdktn")


def choose(environ: Mapping[str, str] | None = None, loaded: Mapping[str, object] | None = None) -> str:
    environ = os.environ if environ is None else environ
    loaded = sys.modules if loaded is None else loaded
    forced = environ.get("SMSCHANNEL_CDK", "").strip()
    if forced:
        if forced not in CDKS:
            raise SmschannelError(f'SMSCHANNEL_CDK must be cdktf or cdktn, got "{forced}"')
        return forced
    imported = [name for name in CDKS if name in loaded]
    if imported:
        return imported[0]
    installed = [name for name in CDKS if importlib.util.find_spec(name) is not None]
    if not installed:
        raise SmschannelError("the constructs need CDKTF or CDK Terrain: pip install cdktf (or cdktn)")
    return installed[0]


CDK = choose()
"""`cdktf` or `cdktn`: the CDK these constructs were built on in this process."""

if TYPE_CHECKING:
    from cdktf import (
        IResolvable,
        ITerraformDependable,
        ITerraformIterator,
        TerraformCount,
        TerraformProvider,
        TerraformProviderGeneratorMetadata,
        TerraformResource,
        TerraformResourceLifecycle,
        Token,
    )
else:
    _module = importlib.import_module(CDK)
    IResolvable = _module.IResolvable
    ITerraformDependable = _module.ITerraformDependable
    ITerraformIterator = _module.ITerraformIterator
    TerraformCount = _module.TerraformCount
    TerraformProvider = _module.TerraformProvider
    TerraformProviderGeneratorMetadata = _module.TerraformProviderGeneratorMetadata
    TerraformResource = _module.TerraformResource
    TerraformResourceLifecycle = _module.TerraformResourceLifecycle
    Token = _module.Token

__all__ = [
    "CDK",
    "CDKS",
    "IResolvable",
    "ITerraformDependable",
    "ITerraformIterator",
    "TerraformCount",
    "TerraformProvider",
    "TerraformProviderGeneratorMetadata",
    "TerraformResource",
    "TerraformResourceLifecycle",
    "Token",
    "choose",
]
