"""Inbound benchmark: keyword engine classifications per second over the labelled corpus, and
webhook requests per second end to end against the registry on SQLite.

Prints the engine's rate with fuzzy opt-out on and the ratio against baselines measured in the same
run: a plain dict lookup of the normalised text (the exact-keyword step alone) and the engine with
fuzzy opt-out off. The token cache is warm after the first pass; the "cold" line rebuilds the engine
before each pass (construction not timed). The end-to-end part posts Sinch-shaped MO messages (the
corpus, each with a new request ID, one client, keep-alive) to a webhook of a local stack: parse,
decide, record, and send the reply through the local Sinch; its baseline is the registry's health
route on the same server, so the ratio is what the inbound work costs over a bare round trip.

    .venv/bin/python bench/inbound.py [--no-webhook]
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


def webhook_rates(seconds: float = 3.0) -> tuple[float, float, float]:
    """Return (health requests/s, inbound webhook requests/s, share of them that sent a reply)."""
    import json
    import sys
    import tempfile

    import httpx

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from smschannel.local import LocalStack
    from smschannel.registry_client import RegistryClient

    messages = load_messages()
    with tempfile.TemporaryDirectory(prefix="smschannel-bench-") as tmp, LocalStack(Path(tmp)) as stack:
        facts = json.loads((stack.state_dir / "endpoints.json").read_text())
        registry = RegistryClient(facts["registry"]["url"], facts["registry"]["token"])
        si = facts["vendors"]["sinch"]
        cred = registry.create("sinch_credentials", {"name": "si", "service_plan_id": si["service_plan_id"],
                                                     "api_token_env": "T"}, {"api_token": si["api_token"]})
        webhook = registry.create("webhook", {
            "name": "bench", "vendor": "sinch", "credentials_id": cred["id"], "sender_number": si["phone_numbers"][0],
            "opt_out": {"keywords": list(DEFAULT_OPT_OUT), "reply": "Unsubscribed."},
            "fuzzy_opt_out": True, "fuzzy_auto_reply": "Reply YES to unsubscribe."}, {})
        registry.close()
        with httpx.Client() as client:
            def rate(send: Callable[[int], object]) -> float:
                done, start = 0, time.perf_counter()
                while time.perf_counter() - start < seconds:
                    send(done)
                    done += 1
                return done / (time.perf_counter() - start)

            health = rate(lambda _: client.get(f"{facts['registry']['url']}/v1/healthz").raise_for_status())
            replies_before = len(stack.vendors.sinch.outbox)
            sent = [0]

            def post(i: int) -> None:
                body = {"type": "mo_text", "id": f"bench-{i}", "from": f"1415555{i % 10000:04d}",
                        "to": si["phone_numbers"][0][1:], "body": messages[i % len(messages)] or "hi",
                        "received_at": "2026-11-25T10:00:00Z"}
                client.post(webhook["url"], json=body).raise_for_status()
                sent[0] += 1

            inbound = rate(post)
            replied = (len(stack.vendors.sinch.outbox) - replies_before) / max(sent[0], 1)
    return health, inbound, replied


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
    health, inbound, replied = webhook_rates()
    print("webhook end to end (registry on SQLite, one client, keep-alive)")
    print(f"  {'baseline: GET /v1/healthz':<42} {health:>12,.0f} /s")
    print(f"  {'Sinch MO -> decision -> record -> reply':<42} {inbound:>12,.0f} /s  "
          f"({inbound / health:.2f}x baseline; {replied:.0%} of them sent a reply through the local Sinch)")


if __name__ == "__main__":
    main()
