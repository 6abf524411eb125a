"""The local Twilio's data: accounts, their incoming numbers, messaging services and an outbox.

`seed_twilio(state, seed)` adds a deterministic demo account and returns its public facts, so
`smschannel up` can write them where a person (or a test) finds them.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, TypedDict

from ._control import Control

SEED_DATE = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def twilio_error_body(status: int, *, code: int | None = None, message: str | None = None) -> dict[str, Any]:
    """Twilio's error body: {"code": 20003, "message": "Authenticate", "more_info": ..., "status": 401}."""
    code = 20000 + status if code is None else code
    return {
        "code": code,
        "message": message or HTTPStatus(status).phrase,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@dataclass
class TwilioAccountRecord:
    sid: str
    auth_token: str
    friendly_name: str
    status: str = "active"
    type: str = "Full"
    date_created: datetime = SEED_DATE


@dataclass
class TwilioNumberRecord:
    sid: str
    account_sid: str
    phone_number: str
    friendly_name: str
    sms_url: str = ""
    sms_method: str = "POST"
    date_created: datetime = SEED_DATE
    date_updated: datetime = SEED_DATE
    capabilities: dict[str, bool] = field(
        default_factory=lambda: {"voice": True, "sms": True, "mms": True, "fax": False})
    """What the number can do, as Twilio reports it (`capabilities` of IncomingPhoneNumbers; the
    messaging service's PhoneNumbers list the true ones in upper case)."""


@dataclass
class TwilioServiceRecord:
    sid: str
    account_sid: str
    friendly_name: str
    inbound_request_url: str | None = None
    inbound_method: str = "POST"
    use_inbound_webhook_on_number: bool = False
    number_sids: list[str] = field(default_factory=list)
    date_created: datetime = SEED_DATE
    date_updated: datetime = SEED_DATE


@dataclass
class TwilioMessageRecord:
    sid: str
    account_sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status: str
    date_created: datetime
    media_urls: list[str] = field(default_factory=list)
    num_segments: int = 1

    def as_json(self) -> dict[str, Any]:
        return {
            "sid": self.sid,
            "account_sid": self.account_sid,
            "to": self.to,
            "from": self.from_,
            "messaging_service_sid": self.messaging_service_sid,
            "body": self.body,
            "media_urls": list(self.media_urls),
            "status": self.status,
            "date_created": self.date_created.isoformat(),
        }


class TwilioState:
    """Everything the local Twilio knows. Mutate through the methods (they take the lock)."""

    def __init__(self, *, seed: int = 0) -> None:
        self.accounts: dict[str, TwilioAccountRecord] = {}
        self.numbers: dict[str, TwilioNumberRecord] = {}
        self.services: dict[str, TwilioServiceRecord] = {}
        self.outbox: list[TwilioMessageRecord] = []
        self.lock = threading.RLock()
        self.control = Control(twilio_error_body)
        self._rng = random.Random(f"twilio-runtime-{seed}")  # apart from the seed_twilio() values

    def new_sid(self, prefix: str, rng: random.Random | None = None) -> str:
        return prefix + (rng or self._rng).getrandbits(128).to_bytes(16, "big").hex()

    def add_account(
        self, friendly_name: str, *, sid: str | None = None, auth_token: str | None = None
    ) -> TwilioAccountRecord:
        with self.lock:
            record = TwilioAccountRecord(
                sid=sid or self.new_sid("AC"),
                auth_token=auth_token or self.new_sid(""),
                friendly_name=friendly_name,
            )
            self.accounts[record.sid] = record
            return record

    def add_number(
        self, account_sid: str, *, phone_number: str, sid: str | None = None, mms: bool = True
    ) -> TwilioNumberRecord:
        with self.lock:
            record = TwilioNumberRecord(
                sid=sid or self.new_sid("PN"),
                account_sid=account_sid,
                phone_number=phone_number,
                friendly_name=_friendly(phone_number),
                capabilities={"voice": True, "sms": True, "mms": mms, "fax": False},
            )
            self.numbers[record.sid] = record
            return record

    def add_messaging_service(
        self,
        account_sid: str,
        *,
        friendly_name: str,
        sid: str | None = None,
        number_sids: list[str] | None = None,
    ) -> TwilioServiceRecord:
        with self.lock:
            record = TwilioServiceRecord(
                sid=sid or self.new_sid("MG"),
                account_sid=account_sid,
                friendly_name=friendly_name,
                number_sids=list(number_sids or []),
            )
            self.services[record.sid] = record
            return record

    def account_numbers(self, account_sid: str) -> list[TwilioNumberRecord]:
        with self.lock:
            return [n for n in self.numbers.values() if n.account_sid == account_sid]

    def record_message(self, message: TwilioMessageRecord) -> None:
        with self.lock:
            self.outbox.append(message)

    def account_messages(self, account_sid: str) -> list[TwilioMessageRecord]:
        """The account's messages, newest first (as Twilio lists them)."""
        with self.lock:
            return [m for m in reversed(self.outbox) if m.account_sid == account_sid]

    def outbox_json(self) -> list[dict[str, Any]]:
        with self.lock:
            return [m.as_json() for m in self.outbox]


def _friendly(phone_number: str) -> str:
    """Twilio's default friendly name for a North American number: "(415) 555-0100"."""
    digits = phone_number.removeprefix("+1")
    if phone_number.startswith("+1") and len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return phone_number


class TwilioSeed(TypedDict):
    """The public facts of a seeded account: what a person needs to point smschannel at it."""

    account_sid: str
    auth_token: str
    friendly_name: str
    phone_numbers: list[str]
    number_sids: list[str]
    messaging_service_sid: str
    messaging_service_numbers: list[str]
    sms_only_number: str
    """A number of the account that cannot send MMS (its `capabilities.mms` is false)."""


SEED_NUMBERS = ("+14155550100", "+14155550101")
SMS_ONLY_NUMBER = "+14155550102"


def seed_twilio(state: TwilioState, seed: int | random.Random = 0) -> TwilioSeed:
    """Add a demo account (two numbers; a messaging service holding the second; a third number that cannot
    send MMS) and describe it.

    The same `seed` always gives the same SIDs and token.
    """
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    account = state.add_account(
        "smschannel demo", sid=state.new_sid("AC", rng), auth_token=state.new_sid("", rng)
    )
    numbers = [
        state.add_number(account.sid, phone_number=number, sid=state.new_sid("PN", rng))
        for number in SEED_NUMBERS
    ]
    service = state.add_messaging_service(
        account.sid,
        friendly_name="smschannel demo service",
        sid=state.new_sid("MG", rng),
        number_sids=[numbers[1].sid],
    )
    sms_only = state.add_number(account.sid, phone_number=SMS_ONLY_NUMBER, sid=state.new_sid("PN", rng), mms=False)
    return TwilioSeed(
        account_sid=account.sid,
        auth_token=account.auth_token,
        friendly_name=account.friendly_name,
        phone_numbers=[n.phone_number for n in (*numbers, sms_only)],
        number_sids=[n.sid for n in (*numbers, sms_only)],
        messaging_service_sid=service.sid,
        messaging_service_numbers=[numbers[1].phone_number],
        sms_only_number=sms_only.phone_number,
    )
