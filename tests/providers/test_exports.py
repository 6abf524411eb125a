"""The public surface of the SMS providers and the emulators, and what importing a provider costs the
Terraform plugin."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import types

import pytest

import smschannel.emulators
import smschannel.providers
from smschannel.providers import SmsProvider
from smschannel.providers.custom import PROVIDER as CUSTOM
from smschannel.providers.infobip import PROVIDER as INFOBIP
from smschannel.providers.sinch import PROVIDER as SINCH
from smschannel.providers.sinch_conversation import PROVIDER as SINCH_CONVERSATION
from smschannel.providers.twilio import PROVIDER as TWILIO
from tests.providers.echo.provider import PROVIDER as ECHO

PROVIDER_PACKAGES = [
    "smschannel.providers.twilio",
    "smschannel.providers.sinch",
    "smschannel.providers.sinch_conversation",
    "smschannel.providers.infobip",
    "smschannel.providers.custom",
]


def _isort_style(name: str) -> tuple[int, str]:
    """Constants first, then classes, then functions, as ruff's RUF022 orders `__all__`."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize("name", ["smschannel.providers", *PROVIDER_PACKAGES, "smschannel.emulators"])
def test_all_is_sorted_and_complete(name: str) -> None:
    package = importlib.import_module(name)
    exported = package.__all__
    assert exported == sorted(set(exported), key=_isort_style)
    public = {
        key
        for key, value in vars(package).items()
        if not key.startswith("_") and not isinstance(value, types.ModuleType) and key != "annotations"
        and (getattr(value, "__module__", name) or name).startswith(name)
    }
    assert public <= set(exported)
    assert all(hasattr(package, key) for key in exported)


def test_every_provider_folder_has_a_provider_for_its_credentials() -> None:
    from smschannel.model import CREDENTIALS

    for model in CREDENTIALS:
        provider = smschannel.providers.provider_for(model)
        assert isinstance(provider, smschannel.providers.SmsProvider)
        assert model.provider == f"smschannel.providers.{provider.name}"
        assert smschannel.providers.provider_for(model.stem()) is provider
        assert smschannel.providers.provider_for_vendor(model.vendor).name == provider.name


def test_every_provider_is_an_sms_provider_to_the_type_checker() -> None:
    """mypy (`make typecheck`) checks this assignment: a provider whose attributes or methods do not
    match `SmsProvider` (a class variable where the protocol asked for a settable attribute, say) fails it,
    although `isinstance` at run time, which only looks for the names, would pass."""
    providers: list[SmsProvider] = [TWILIO, SINCH, SINCH_CONVERSATION, INFOBIP, CUSTOM, ECHO]
    assert [p.name for p in providers] == ["twilio", "sinch", "sinch_conversation", "infobip", "custom", "echo"]


def test_an_unknown_credentials_type_or_vendor_is_a_lookup_error() -> None:
    with pytest.raises(LookupError, match="webhook is not a credentials type"):
        smschannel.providers.provider_for("webhook")
    with pytest.raises(LookupError, match="no SMS provider for vendor carrier-pigeon"):
        smschannel.providers.provider_for_vendor("carrier-pigeon")


@pytest.mark.parametrize("module", PROVIDER_PACKAGES)
def test_a_provider_loads_only_httpx_the_stdlib_and_its_own_folder(module: str) -> None:
    """The Terraform plugin loads a provider when a plan verifies credentials: beyond what the plugin
    has already loaded, a provider may load only the standard library, httpx and the shared provider
    modules (no web framework, no database, no emulator, no other vendor's folder)."""
    own = module.rsplit(".", 1)[1]
    code = (
        "import json, sys\n"
        "import httpx, smschannel.terraform.plugin\n"
        "before = set(sys.modules)\n"
        f"import {module}\n"
        "new = sorted(set(sys.modules) - before)\n"
        "third = sorted({m.split('.')[0] for m in new} - set(sys.stdlib_module_names) - {'smschannel'})\n"
        "print(json.dumps({'third_party': third, 'ours': [m for m in new if m.startswith('smschannel')]}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    loaded = json.loads(result.stdout)
    assert set(loaded["third_party"]) <= {"httpx", "httpcore", "h11", "anyio", "sniffio", "certifi", "idna"}
    assert module in loaded["ours"]
    # Below the providers: the models (their own rules) and the shared inbound shapes; beside them, the
    # shared HTTP layer. Sinch RCS falls back to the Sinch SMS plan, so Sinch Conversation may use Sinch.
    folders = {own, "sinch"} if own == "sinch_conversation" else {own}
    allowed = ("smschannel.model.", "smschannel.inbound.", "smschannel.providers.http",
               "smschannel.providers.paging", *(f"smschannel.providers.{f}" for f in folders))
    outside = [m for m in loaded["ours"] if not m.startswith(allowed)]
    assert outside == []


def test_the_plugin_imports_neither_web_frameworks_nor_test_tools() -> None:
    """Terraform starts the plugin several times per plan: keep its import small."""
    heavy = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "cdktf", "openapi_core", "yaml",
             "smschannel.emulators", "smschannel.registry.")
    code = (
        "import sys, smschannel.terraform.plugin, smschannel.providers\n"
        f"print(sorted({{m for m in sys.modules if m.startswith({heavy!r})}}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"
