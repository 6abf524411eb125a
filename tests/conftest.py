"""Shared fixtures: a clean environment for every test, one local stack (registry + local vendors on
loopback) for the session, a fresh sandbox per test, and Terraform workspaces."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smschannel.local import LocalStack
from smschannel.registry_client import RegistryClient
from tests.postgres import PostgresServer
from tests.support import Workspace

SECRET_VARIABLES = ("TWILIO_AUTH_TOKEN", "SINCH_API_TOKEN", "TF_REATTACH_PROVIDERS", "TF_CLI_CONFIG_FILE",
                    "TF_LOG", "SMSCHANNEL_TERRAFORM")
_sandboxes = itertools.count(1)


TERRAFORM_FIXTURES = frozenset({"workspace", "tf_home"})
"""A test that asks for one of these runs real Terraform: it is marked `terraform` (a quick loop is
`pytest -m "not terraform and not slow"`)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if TERRAFORM_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.terraform)


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SMSCHANNEL_") or name in SECRET_VARIABLES:
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    stack = LocalStack(tmp_path_factory.mktemp("local-stack"))
    stack.start()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def facts(local_stack: LocalStack) -> dict[str, Any]:
    import json

    loaded: dict[str, Any] = json.loads((local_stack.state_dir / "endpoints.json").read_text())
    return loaded


@pytest.fixture
def sandbox() -> str:
    return f"test{next(_sandboxes)}"


@pytest.fixture
def registry(facts: dict[str, Any], sandbox: str) -> Iterator[RegistryClient]:
    client = RegistryClient(facts["registry"]["url"], facts["registry"]["token"], sandbox=sandbox)
    yield client
    client.close()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """A real PostgreSQL server on loopback for the session (started on first use); each test makes
    its own database with `postgres.create_database(name)`."""
    with PostgresServer(tmp_path_factory.mktemp("postgres")) as server:
        yield server


@pytest.fixture(scope="session")
def tf_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("smschannel-home")


@pytest.fixture
def env(facts: dict[str, Any], sandbox: str) -> dict[str, str]:
    """What a pipeline exports: the registry, the local vendors and the vendor secrets."""
    return {**facts["env"], "SMSCHANNEL_SANDBOX": sandbox}


@pytest.fixture
def workspace(tmp_path: Path, tf_home: Path, env: dict[str, str]) -> Workspace:
    return Workspace(tmp_path, tf_home, env)
