"""The local Infobip's data: accounts (API key, balance), their numbers, inbound message
configurations, and the SMS sent through them.

`seed_infobip(state, seed)` adds a deterministic demo account and returns its public facts. The
account's base URL is wherever the emulator is served (`LocalServer.url`), so the seed leaves it out.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypedDict

from ._control import Control


def infobip_error_body(status: int, *, message_id: str | None = None, text: str | None = None) -> dict[str, Any]:
    """Infobip's error body (account, numbers, resource management):
    {"requestError": {"serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}}}."""
    phrase = HTTPStatus(status).phrase
    return {
        "requestError": {
            "serviceException": {
                "messageId": message_id or phrase.upper().replace(" ", "_").replace("-", "_"),
                "text": text or phrase,
            }
        }
    }


def infobip_api_error_body(
    status: int, *, description: str | None = None, violations: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The SMS API v3's error body (`ApiError`): {"errorCode": "E400", "description", "action", ...}."""
    actions = {
        400: "Check the syntax, violations and adjust the request.",
        401: "Check the resources and adjust authentication credentials.",
        403: "Check the resources and adjust permissions.",
    }
    return {
        "errorCode": f"E{status}",
        "description": description or HTTPStatus(status).phrase,
        "action": actions.get(status, "Try again later."),
        "violations": violations or [],
        "resources": (
            [{"name": "API Authentication", "url": "https://www.infobip.com/docs/essentials/api-authentication"}]
            if status == 401
            else []
        ),
    }


def new_key(rng: random.Random) -> str:
    """32 upper-case hex digits, the shape of Infobip's number and configuration keys."""
    return rng.getrandbits(128).to_bytes(16, "big").hex().upper()


def new_api_key(rng: random.Random) -> str:
    """The shape of an Infobip API key: 32 hex digits, a dash and a UUID."""
    head = rng.getrandbits(128).to_bytes(16, "big").hex()
    tail = rng.getrandbits(128).to_bytes(16, "big").hex()
    return f"{head}-{tail[:8]}-{tail[8:12]}-{tail[12:16]}-{tail[16:20]}-{tail[20:]}"


@dataclass
class InfobipAccountRecord:
    id: str
    api_key: str
    balance: float = 100.0
    currency: str = "EUR"


@dataclass
class InfobipNumberRecord:
    number_key: str
    account_id: str
    number: str  # E.164, "+14155550170"; answered without the plus, as Infobip writes numbers
    country: str = "US"
    country_name: str = "United States"
    type: str = "VIRTUAL_LONG_NUMBER"
    capabilities: list[str] = field(default_factory=lambda: ["SMS"])


@dataclass
class InfobipConfigurationRecord:
    configuration_key: str
    account_id: str
    channel: str
    number: str  # E.164
    keyword: str | None
    forwarding: dict[str, Any] | None

    def as_json(self) -> dict[str, Any]:
        """The configuration as Resource Management answers it (`MoConfigurationResponse`)."""
        data: dict[str, Any] = {"configurationKey": self.configuration_key, "channel": self.channel}
        if self.keyword is not None:
            data["keyword"] = self.keyword
        if self.forwarding is not None:
            data["forwarding"] = dict(self.forwarding)
        return data


class InfobipState:
    """Everything the local Infobip knows. Mutate through the methods (they take the lock)."""

    def __init__(self, *, seed: int = 0) -> None:
        self.accounts: dict[str, InfobipAccountRecord] = {}  # by API key
        self.numbers: dict[str, InfobipNumberRecord] = {}  # by number key
        self.configurations: dict[str, InfobipConfigurationRecord] = {}  # by configuration key
        self.outbox: list[dict[str, Any]] = []  # one entry per destination, plus "account_id"
        self.lock = threading.RLock()
        self.control = Control(infobip_error_body)
        self._rng = random.Random(f"infobip-runtime-{seed}")  # apart from the seed_infobip() values
        self._bulk = 2034072219640523072

    def add_account(
        self,
        *,
        api_key: str | None = None,
        account_id: str | None = None,
        balance: float = 100.0,
        currency: str = "EUR",
    ) -> InfobipAccountRecord:
        with self.lock:
            record = InfobipAccountRecord(
                id=account_id or new_key(self._rng),
                api_key=api_key or new_api_key(self._rng),
                balance=balance,
                currency=currency,
            )
            self.accounts[record.api_key] = record
            return record

    def add_number(self, account_id: str, *, number: str, number_key: str | None = None,
                   capabilities: list[str] | None = None) -> InfobipNumberRecord:
        if not (number.startswith("+") and number[1:].isdigit()):
            raise ValueError(f"number must be E.164 (+ and digits), got {number!r}")
        with self.lock:
            record = InfobipNumberRecord(
                number_key=number_key or new_key(self._rng), account_id=account_id, number=number,
                capabilities=list(capabilities or ["SMS"]),
            )
            self.numbers[record.number_key] = record
            return record

    def account_numbers(self, account_id: str) -> list[InfobipNumberRecord]:
        with self.lock:
            return [n for n in self.numbers.values() if n.account_id == account_id]

    def configurations_of(self, account_id: str) -> list[InfobipConfigurationRecord]:
        with self.lock:
            return [c for c in self.configurations.values() if c.account_id == account_id]

    def upsert_configuration(
        self,
        account_id: str,
        *,
        channel: str,
        number: str,
        keyword: str | None,
        forwarding: dict[str, Any] | None,
    ) -> InfobipConfigurationRecord:
        """Create the configuration of (channel, number, keyword), or update the one there is."""
        with self.lock:
            for record in self.configurations_of(account_id):
                if (record.channel, record.number, record.keyword) == (channel, number, keyword):
                    record.forwarding = forwarding
                    return record
            record = InfobipConfigurationRecord(
                configuration_key=new_key(self._rng),
                account_id=account_id,
                channel=channel,
                number=number,
                keyword=keyword,
                forwarding=forwarding,
            )
            self.configurations[record.configuration_key] = record
            return record

    def new_bulk_id(self) -> str:
        with self.lock:
            self._bulk += 1
            return str(self._bulk)

    def new_message_id(self) -> str:
        """A message ID in the shape Infobip's examples show: `2250be2d4219-3af1-78856-aabe-1362af1edfd2`."""
        h = self._rng.getrandbits(128).to_bytes(16, "big").hex()
        return f"{h[:12]}-{h[12:16]}-{h[16:21]}-{h[21:25]}-{h[25:]}"

    def outbox_json(self) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(m) for m in self.outbox]


class InfobipSeed(TypedDict):
    """The public facts of a seeded account (its base URL is the emulator's URL)."""

    api_key: str
    phone_numbers: list[str]
    number_keys: list[str]
    balance: float
    currency: str


SEED_NUMBERS = ("+14155550170", "+14155550171")
SEED_CAPABILITIES = (["SMS", "MMS"], ["SMS"])
"""The first seeded number sends SMS and MMS, the second SMS only."""


def seed_infobip(state: InfobipState, seed: int | random.Random = 0) -> InfobipSeed:
    """Add a demo account with two numbers (the first MMS-capable) and describe it; the same `seed` gives
    the same keys."""
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    account = state.add_account(account_id=new_key(rng), api_key=new_api_key(rng), balance=47.5, currency="EUR")
    numbers = [state.add_number(account.id, number=n, number_key=new_key(rng), capabilities=list(c))
               for n, c in zip(SEED_NUMBERS, SEED_CAPABILITIES, strict=True)]
    return InfobipSeed(
        api_key=account.api_key,
        phone_numbers=[n.number for n in numbers],
        number_keys=[n.number_key for n in numbers],
        balance=account.balance,
        currency=account.currency,
    )
