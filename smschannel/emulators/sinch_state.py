"""The local Sinch's data: service plans (ID, token, numbers) and the batches sent through them.

`seed_sinch(state, seed)` adds a deterministic demo service plan and returns its public facts.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, TypedDict

from ._control import Control

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def sinch_error_body(status: int, *, code: str | None = None, text: str | None = None) -> dict[str, Any]:
    """Sinch's error body (the spec's `errorResponseObj`): {"code": "...", "text": "..."}."""
    phrase = HTTPStatus(status).phrase
    return {"code": code or phrase.lower().replace(" ", "_").replace("-", "_"), "text": text or phrase}


def new_hex(rng: random.Random) -> str:
    """32 hex digits, the shape of service plan IDs and API tokens."""
    return rng.getrandbits(128).to_bytes(16, "big").hex()


def iso_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


@dataclass
class SinchServicePlan:
    id: str
    api_token: str
    numbers: list[str] = field(default_factory=list)


class SinchState:
    """Everything the local Sinch knows: service plans and the batches sent through them."""

    def __init__(self, *, seed: int = 0) -> None:
        self.plans: dict[str, SinchServicePlan] = {}
        self.outbox: list[dict[str, Any]] = []  # batch JSON, plus "service_plan_id"
        self.lock = threading.RLock()
        self.control = Control(sinch_error_body)
        self._rng = random.Random(f"sinch-runtime-{seed}")  # apart from the seed_sinch() values

    def add_plan(
        self, *, plan_id: str | None = None, api_token: str | None = None, numbers: list[str] | None = None
    ) -> SinchServicePlan:
        with self.lock:
            plan = SinchServicePlan(
                id=plan_id or new_hex(self._rng),
                api_token=api_token or new_hex(self._rng),
                numbers=list(numbers or []),
            )
            self.plans[plan.id] = plan
            return plan

    def new_batch_id(self) -> str:
        """A ULID-like ID as Sinch gives batches: 26 Crockford base-32 characters."""
        return "01" + "".join(self._rng.choice(_CROCKFORD) for _ in range(24))

    def batches(self, plan_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [_public(b) for b in self.outbox if b["service_plan_id"] == plan_id]

    def outbox_json(self) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(b) for b in self.outbox]


def _public(batch: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in batch.items() if k != "service_plan_id"}


class SinchSeed(TypedDict):
    """The public facts of a seeded service plan."""

    service_plan_id: str
    api_token: str
    region: str
    phone_numbers: list[str]


SEED_NUMBERS = ("+14155550150",)


def seed_sinch(state: SinchState, seed: int | random.Random = 0) -> SinchSeed:
    """Add a demo service plan with one number and describe it; the same `seed` gives the same IDs."""
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    plan = state.add_plan(plan_id=new_hex(rng), api_token=new_hex(rng), numbers=list(SEED_NUMBERS))
    return SinchSeed(
        service_plan_id=plan.id, api_token=plan.api_token, region="us", phone_numbers=list(plan.numbers)
    )
