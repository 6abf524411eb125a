"""The local Sinch Conversation API's data: projects (ID, API token), their apps (channels) and the
messages sent through them.

`seed_sinch_conversation(state, seed)` adds a deterministic demo project with an MMS app and an
RCS app (RCS first, SMS as its fallback) and returns their public facts.
"""

from __future__ import annotations

import random
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, TypedDict

from ._control import Control

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# The status names the API puts beside the HTTP code (Google API style).
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "UNIMPLEMENTED",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def sinch_conversation_error_body(status: int, *, message: str | None = None) -> dict[str, Any]:
    """The Conversation API's error body: {"error": {"code", "message", "status", "details"}}."""
    return {
        "error": {
            "code": status,
            "message": message or HTTPStatus(status).phrase,
            "status": STATUS_NAMES.get(status, "UNKNOWN"),
            "details": [],
        }
    }


def new_ulid(rng: random.Random) -> str:
    """A ULID-like ID as the API gives apps and messages: 26 Crockford base-32 characters."""
    return "01" + "".join(rng.choice(_CROCKFORD) for _ in range(24))


def new_project_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def new_token(rng: random.Random) -> str:
    return rng.getrandbits(128).to_bytes(16, "big").hex()


def iso_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


@dataclass
class SinchConversationProjectRecord:
    id: str
    api_token: str
    key_id: str = ""
    """The project's access key (Sinch's OAuth 2.0 client credentials): `POST /oauth2/token` with it gives
    `api_token`, as auth.sinch.com gives an access token."""
    key_secret: str = ""


@dataclass
class SinchConversationAppRecord:
    id: str
    project_id: str
    display_name: str
    channels: list[str] = field(default_factory=lambda: ["SMS"])  # in priority order
    processing_mode: str = "CONVERSATION"


class SinchConversationState:
    """Everything the local Conversation API knows. Mutate through the methods (they take the lock)."""

    def __init__(self, *, seed: int = 0) -> None:
        self.projects: dict[str, SinchConversationProjectRecord] = {}
        self.apps: dict[str, SinchConversationAppRecord] = {}
        self.outbox: list[dict[str, Any]] = []  # each sent message, plus "project_id"
        self.no_rcs: set[str] = set()
        """Numbers whose phones cannot receive RCS: a message to one goes on the next channel of its
        `channel_priority_order` (Sinch's channel fallback), or fails."""
        self.lock = threading.RLock()
        self.control = Control(sinch_conversation_error_body)
        self._rng = random.Random(f"sinch-conversation-runtime-{seed}")  # apart from the seeded values

    def add_project(
        self, *, project_id: str | None = None, api_token: str | None = None
    ) -> SinchConversationProjectRecord:
        with self.lock:
            record = SinchConversationProjectRecord(
                id=project_id or new_project_id(self._rng), api_token=api_token or new_token(self._rng),
                key_id=new_project_id(self._rng), key_secret=new_token(self._rng)[:24],
            )
            self.projects[record.id] = record
            return record

    def add_app(
        self,
        project_id: str,
        *,
        display_name: str,
        channels: list[str],
        app_id: str | None = None,
        processing_mode: str = "CONVERSATION",
    ) -> SinchConversationAppRecord:
        with self.lock:
            record = SinchConversationAppRecord(
                id=app_id or new_ulid(self._rng),
                project_id=project_id,
                display_name=display_name,
                channels=list(channels),
                processing_mode=processing_mode,
            )
            self.apps[record.id] = record
            return record

    def new_message_id(self) -> str:
        with self.lock:
            return new_ulid(self._rng)

    def outbox_json(self) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(m) for m in self.outbox]


class SinchConversationSeed(TypedDict):
    """The public facts of a seeded project: what Sinch MMS and Sinch RCS credentials need."""

    project_id: str
    api_token: str
    region: str
    mms_app_id: str
    rcs_app_id: str
    key_id: str
    """The project's access key, for clients that get their token with OAuth 2.0 (the official SDK)."""
    key_secret: str


def seed_sinch_conversation(state: SinchConversationState, seed: int | random.Random = 0) -> SinchConversationSeed:
    """Add a demo project with an MMS app and an RCS app (SMS fallback); the same `seed` gives the same IDs."""
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    project = state.add_project(project_id=new_project_id(rng), api_token=new_token(rng))
    mms = state.add_app(project.id, display_name="smschannel demo MMS", channels=["MMS"], app_id=new_ulid(rng))
    rcs = state.add_app(project.id, display_name="smschannel demo RCS", channels=["RCS", "SMS"], app_id=new_ulid(rng))
    return SinchConversationSeed(
        project_id=project.id, api_token=project.api_token, region="us", mms_app_id=mms.id, rcs_app_id=rcs.id,
        key_id=project.key_id, key_secret=project.key_secret,
    )
