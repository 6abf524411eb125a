"""Inbound benchmark: keyword engine classifications per second over the labelled corpus, and
webhook requests per second end to end against the registry on SQLite (one process) and on
PostgreSQL (two processes sharing it).

Prints the engine's rate with fuzzy opt-out on and the ratio against baselines measured in the same
run: a plain dict lookup of the normalised text (the exact-keyword step alone) and the engine with
fuzzy opt-out off. The token cache is warm after the first pass; the "cold" line rebuilds the engine
before each pass (construction not timed). The end-to-end part runs `smschannel serve` processes and
posts Sinch-shaped MO messages (the corpus, each with a new request ID) from several concurrent
keep-alive clients: parse, decide, record with the reply in the outbox, answer; the registries' outbox
senders deliver the replies through the local Sinch meanwhile. Its baseline is the registry's health
route measured the same way in the same run, so the ratio is what the inbound work costs over a bare
round trip; then it prints how long the outbox took to drain after the load stopped.

    .venv/bin/python bench/inbound.py [--no-webhook] [--no-postgres]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from smschannel.keywords import DEFAULT_HELP, DEFAULT_OPT_IN, DEFAULT_OPT_OUT, Engine, KeywordRules, normalize

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "keywords" / "corpus.tsv"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
MIN_SECONDS = 1.0


def load_messages() -> list[str]:
    """Return the messages of the labelled corpus."""
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    return [line.split("\t")[0] for line in lines if line and not line.startswith("#")]


Classify = Callable[[str], object]


def _rate(classify: Classify, messages: list[str], *, fresh: Callable[[], None] | None = None) -> float:
    """Return messages classified per second, repeating passes over `messages` for `MIN_SECONDS`."""
    done, elapsed = 0, 0.0
    while elapsed < MIN_SECONDS:
        if fresh is not None:
            fresh()
        start = time.perf_counter()
        for message in messages:
            classify(message)
        elapsed += time.perf_counter() - start
        done += len(messages)
    return done / elapsed


def _engine_classifier(rules: KeywordRules) -> Classify:
    engine = Engine(rules)

    def classify(message: str) -> object:
        return engine.decide(message, pending=None, now=NOW)

    return classify


def engine_rate(*, fuzzy: bool = True) -> float:
    """Return engine classifications per second over the corpus (default keywords, warm token cache)."""
    return _rate(_engine_classifier(KeywordRules(fuzzy_opt_out=fuzzy)), load_messages())


def engine_cold_rate() -> float:
    """Return classifications per second with fuzzy on, rebuilding the engine (empty caches) every pass."""
    rules = KeywordRules(fuzzy_opt_out=True)
    box = [_engine_classifier(rules)]

    def fresh() -> None:
        box[0] = _engine_classifier(rules)

    return _rate(lambda message: box[0](message), load_messages(), fresh=fresh)


def baseline_rate() -> float:
    """Return lookups per second of the normalised text in a dict of the default keywords."""
    table = {normalize(k): k for k in (*DEFAULT_OPT_OUT, *DEFAULT_OPT_IN, *DEFAULT_HELP)}
    return _rate(lambda message: table.get(normalize(message)), load_messages())


CLIENTS = 8
"""Concurrent clients in the end-to-end part (keep-alive connections, as a vendor's webhook workers)."""


async def _http_rate(urls: list[str], build: Callable[[int], tuple[str, bytes, dict[str, str]] | None],
                seconds: float) -> tuple[float, int]:
    """Requests per second over `seconds` with `CLIENTS` concurrent clients spread over `urls`: `build(i)`
    gives request i's (url, body, headers), None for a GET of the url. Returns (rate, requests done)."""
    import asyncio

    import httpx

    done = [0]
    stop = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def client(base: str) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while time.perf_counter() < stop:
                request = build(next(counter))
                if request is None:
                    (await http.get("/v1/healthz")).raise_for_status()
                else:
                    path, body, headers = request
                    (await http.post(path, content=body, headers=headers)).raise_for_status()
                done[0] += 1

    start = time.perf_counter()
    await asyncio.gather(*(client(urls[i % len(urls)]) for i in range(CLIENTS)))
    return done[0] / (time.perf_counter() - start), done[0]


def webhook_rates(database: str, processes: int, *, seconds: float = 4.0) -> tuple[float, float, float, int]:
    """Run `processes` registries (`smschannel serve`) on `database` with the local vendors in this process;
    return (health requests/s, inbound webhook requests/s, seconds the outbox took to drain after the
    load stopped, replies sent)."""
    import asyncio
    import json
    import os
    import socket
    import subprocess
    import sys
    import tempfile

    import httpx

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from smschannel.emulators import LocalVendors
    from smschannel.model.provider_config import VendorEndpoints, endpoint_settings
    from smschannel.registry import outbox, storage
    from smschannel.registry_client import RegistryClient
    from smschannel.scopes import ALL_SCOPES

    messages = load_messages()
    with tempfile.TemporaryDirectory(prefix="smschannel-bench-") as tmp:
        vendors = LocalVendors(Path(tmp))
        local = vendors.start()
        endpoints = VendorEndpoints(local.endpoints)
        url = database if "://" in database else f"sqlite:///{tmp}/{database}"
        db = storage.Database(url)
        with db.session() as session:
            token = storage.create_token(session, "bench", {"*": list(ALL_SCOPES)})
        env = {**os.environ, **{s.env: endpoints[s.name] for s in endpoint_settings() if s.env and s.name in endpoints}}
        children, urls = [], []
        try:
            for index in range(processes):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", 0))
                    port = probe.getsockname()[1]
                urls.append(f"http://127.0.0.1:{port}")
                children.append(subprocess.Popen(
                    [sys.executable, "-m", "smschannel.cli", "serve", "--database", url, "--key-file",
                     f"{tmp}/registry.key", "--port", str(port)],
                    env={**env, "SMSCHANNEL_REGISTRY_PUBLIC_URL": urls[-1]},
                    stdout=subprocess.DEVNULL, stderr=open(f"{tmp}/serve{index}.log", "wb")))  # noqa: SIM115
            for base in urls:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        if httpx.get(f"{base}/v1/readyz").status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"the registry at {base} did not start")
                    time.sleep(0.1)
            registry = RegistryClient(urls[0], token)
            si = json.loads(json.dumps(local.vendors["sinch"]))
            cred = registry.create("sinch_credentials", {"name": "si", "service_plan_id": si["service_plan_id"],
                                                         "api_token_env": "T"}, {"api_token": si["api_token"]})
            webhook = registry.create("webhook", {
                "name": "bench", "vendor": "sinch", "credentials_id": cred["id"],
                "sender_number": si["phone_numbers"][0],
                "opt_out": {"keywords": list(DEFAULT_OPT_OUT), "reply": "Unsubscribed."},
                "fuzzy_opt_out": True, "fuzzy_auto_reply": "Reply YES to unsubscribe."}, {})
            registry.close()
            path = "/" + webhook["url"].split("/", 3)[3]
            health, _ = asyncio.run(_http_rate(urls, lambda _: None, seconds))

            def mo(i: int) -> tuple[str, bytes, dict[str, str]]:
                body = {"type": "mo_text", "id": f"bench-{i}", "from": f"1415555{i % 10000:04d}",
                        "to": si["phone_numbers"][0][1:], "body": messages[i % len(messages)] or "hi",
                        "received_at": "2026-11-25T10:00:00Z"}
                return path, json.dumps(body).encode(), {"Content-Type": "application/json"}

            inbound, _ = asyncio.run(_http_rate(urls, mo, seconds))
            stopped = time.perf_counter()
            while True:
                with db.session() as session:
                    left = outbox.backlog(session)
                if left.pending + left.sending == 0:
                    break
                time.sleep(0.02)
            drain = time.perf_counter() - stopped
            replies = len(vendors.sinch.outbox)
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(30)
            db.dispose()
            vendors.stop()
    return health, inbound, drain, replies


def main() -> None:
    """Print the rates and ratios."""
    import sys

    messages = len(load_messages())
    baseline = baseline_rate()
    fuzzy_off = engine_rate(fuzzy=False)
    fuzzy_on = engine_rate()
    cold = engine_cold_rate()
    rows = [
        ("baseline: dict lookup of normalised text", baseline, ""),
        ("engine, fuzzy off", fuzzy_off, f"{fuzzy_off / baseline:.2f}x baseline"),
        (
            "engine, fuzzy on",
            fuzzy_on,
            f"{fuzzy_on / baseline:.2f}x baseline, {fuzzy_on / fuzzy_off:.2f}x fuzzy off",
        ),
        ("engine, fuzzy on, cold caches", cold, f"{cold / baseline:.2f}x baseline"),
    ]
    print(f"keyword engine over {messages} corpus messages, one core")
    for label, rate, ratio in rows:
        print(f"  {label:<42} {rate:>12,.0f} /s" + (f"  ({ratio})" if ratio else ""))
    if "--no-webhook" in sys.argv:
        return
    runs = [("SQLite, one process", "registry.db", 1)]
    if "--no-postgres" not in sys.argv:
        runs.append(("PostgreSQL, two processes", "postgresql", 2))
    print(f"webhook end to end ({CLIENTS} concurrent keep-alive clients, replies through the local Sinch)")
    for label, database, processes in runs:
        if database == "postgresql":
            import tempfile

            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
            from tests.postgres import PostgresServer

            with tempfile.TemporaryDirectory() as tmp, PostgresServer(Path(tmp)) as server:
                health, inbound, drain, replies = webhook_rates(server.create_database("bench"), processes)
        else:
            health, inbound, drain, replies = webhook_rates(database, processes)
        print(f"  {label}")
        print(f"    {'baseline: GET /v1/healthz':<40} {health:>10,.0f} /s")
        print(f"    {'Sinch MO -> decision -> record -> outbox':<40} {inbound:>10,.0f} /s  "
              f"({inbound / health:.2f}x baseline)")
        print(f"    {'outbox drained after the load stopped':<40} {drain:>10.2f} s  ({replies} replies sent)")


if __name__ == "__main__":
    main()
