"""Property-based fuzzing of the live registry API (schemathesis, seeded): every operation of its OpenAPI
document, with request bodies typed per object type, gets generated requests (valid ones, and ones that
break the schema: wrong types, missing fields, values out of range) from a token holding every scope;
no answer may be a server error. Requests to any address but loopback go to a closed loopback
port (a proxy that is not there), so a fuzzed vendor URL never leaves the machine.

    .venv/bin/python -m pytest -s -p no:cacheprovider tests/registry/test_fuzz.py   # prints the count
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Err, Ok

from smschannel.emulators import LocalServer
from smschannel.registry import storage
from smschannel.registry.app import create_app
from smschannel.registry.settings import RegistrySettings, ReplySettings
from smschannel.scopes import ALL_SCOPES
from tests.registry.outbox_support import vendor_endpoints

SEED = 9
EXAMPLES = 15
"""Generated cases per operation and mode (valid, invalid); an operation without parameters has one."""
WANTED = 1000

pytestmark = pytest.mark.slow


def _fuzz(operation: Any, mode: GenerationMode, base_url: str, token: str, failures: list[str]) -> int:
    """Run the seeded cases of one operation (valid requests, or requests that break its schema); return
    how many ran, adding each server error to `failures`."""
    seen: list[int] = []

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(mode), sandbox=st.sampled_from(["prod", "dev"]))
    def run(case: Any, sandbox: str) -> None:
        if mode is GenerationMode.POSITIVE and case.path_parameters and "sandbox" in case.path_parameters:
            case.path_parameters["sandbox"] = sandbox
        seen.append(1)
        answer = case.call(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        if answer.status_code >= 500:
            failures.append(f"{operation.label} [{mode.value}] {case.path_parameters} {case.query} "
                            f"{case.body!r:.300} -> {answer.status_code} {answer.text[:200]}")

    try:
        run()
    except Unsatisfiable:  # nothing to break: an operation without parameters has no invalid request
        assert mode is GenerationMode.NEGATIVE and not seen
    return len(seen)


def test_fuzzing_the_registry_api_finds_no_server_error(tmp_path: Path, facts: dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    host, port = facts["dns"]["nameserver"].rsplit(":", 1)
    settings_ = RegistrySettings.in_dir(tmp_path, vendors=vendor_endpoints(facts),
                                        dns_nameservers=((host, int(port)),),
                                        replies=ReplySettings(max_age=5, retry_initial=0.5))
    app = create_app(settings_)
    with LocalServer(app) as server:
        with app.state.services.db.session() as session:
            token = storage.create_token(session, "fuzzer", {"*": list(ALL_SCOPES)})
        schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
        results = list(schema.get_all_operations())
        invalid = [str(r.err()) for r in results if isinstance(r, Err)]
        assert invalid == []  # the registry's OpenAPI document is valid
        operations = [r.ok() for r in results if isinstance(r, Ok)]
        cases = 0
        failures: list[str] = []
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                cases += _fuzz(operation, mode, server.url, token, failures)
    print(f"\nfuzzing (seed {SEED}): {cases} cases over {len(operations)} operations, {len(failures)} server errors")
    assert failures == []
    assert cases >= WANTED
