"""What every SMS provider implements (`SmsProvider`), and what callers hand it.

The registry, the Terraform plugin and the CLI never ask which vendor they deal with: they find the
provider of a credentials type (`smschannel.providers.provider_for`) and call it. Everything a vendor
needs (its API client, how it checks credentials and senders, how webhooks are pointed at the registry,
how its requests look and are signed, how a reply is sent) lives in its own folder.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from smschannel.errors import SmschannelError, VendorRejected
from smschannel.inbound import FeedbackEvent, InboundMessage
from smschannel.model.credentials import CredentialsModel
from smschannel.model.provider_config import VendorEndpoints

if TYPE_CHECKING:  # the vendors' clients (httpx) load only when a provider is used
    from smschannel.providers.http import VendorClient

Parsed = InboundMessage | FeedbackEvent


@dataclass(frozen=True)
class Credentials:
    """One credentials object as its provider needs it: its type, its attributes (as stored or planned),
    its secrets (resolved: never a variable name) and where the vendors' APIs are."""

    model: type[CredentialsModel]
    attributes: Mapping[str, Any]
    secrets: Mapping[str, str]
    endpoints: VendorEndpoints = field(default_factory=VendorEndpoints)

    def secret(self, name: str) -> str:
        return self.secrets.get(name) or ""


@dataclass(frozen=True)
class Wiring:
    """What pointing the vendor at a webhook did (`description`) and what undoing it needs (`undo`,
    empty when nothing was done: the URL is set by hand)."""

    description: str
    undo: dict[str, Any] = field(default_factory=dict)

    @property
    def manual(self) -> bool:
        return not self.undo


@dataclass(frozen=True)
class WebhookRequest:
    """A request a vendor made to one of the registry's webhook URLs."""

    body: bytes
    headers: Mapping[str, str]
    """Header names in lower case."""
    query: str
    webhook: Mapping[str, Any]
    """The webhook's attributes (`url`, `type`, `sender_number`, `payload_mapping`, ...)."""


@dataclass(frozen=True)
class VendorRequest:
    """A request built as the vendor would send it (`smschannel inbound simulate`)."""

    request_id: str
    headers: dict[str, str]
    body: bytes


def without_plus(number: str) -> str:
    """A number as most vendors write it in their JSON: E.164 without the plus (an MSISDN)."""
    return number.removeprefix("+")


def now_text() -> str:
    """The time now as vendors stamp their requests (RFC 3339, UTC, `Z`)."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class SignatureRejected(SmschannelError):
    """A webhook request whose signature does not prove it came from the vendor (answered with 403)."""


@runtime_checkable
class SmsProvider(Protocol):
    """One SMS provider. Every method raises `VendorError` (the vendor's own code and message, never a
    secret) when the vendor refuses or fails."""

    # Read-only (properties), so a provider may give them as class variables, as `BaseProvider` does: a
    # plain annotation here would ask for settable instance variables, which a ClassVar does not satisfy.
    @property
    def name(self) -> str:
        """Its folder under `smschannel/providers/`, e.g. `twilio`."""
        ...

    @property
    def label(self) -> str:
        """How messages name it, e.g. `Twilio`."""
        ...

    @property
    def manual_wiring(self) -> str | None:
        """Where a person pastes a webhook's URL when the vendor has no API for it; None when apply does it."""
        ...

    @property
    def acknowledgement(self) -> tuple[str, str] | None:
        """The body and media type the vendor expects as the webhook's answer; None: a JSON summary."""
        ...

    @property
    def reply_lookup(self) -> bool:
        """Whether `find_reply` can tell that the vendor already accepted a reply with a given reference.
        True: the registry's outbox sends each reply exactly once, even when a send's answer was lost
        (a crash, a timeout). False: at least once; a reply can go twice only after such a loss."""
        ...

    def client(self, credentials: Credentials) -> VendorClient:
        """A client of the vendor's API for these credentials (close it, or use it as a context manager)."""
        ...

    def verify(self, credentials: Credentials) -> None:
        """The verify-connection step: a cheap read-only call that proves the account and secret work."""
        ...

    def check_sender(self, credentials: Credentials, sender: str, *, channel: str = "sms") -> str | None:
        """Why `sender` cannot send `channel` (`sms`, `mms`, `rcs`) over these credentials, or None when it can
        (or the vendor can't tell). Where the vendor reports what a number can do, `mms` asks it."""
        ...

    def wire(self, credentials: Credentials, *, sender: str, url: str) -> Wiring:
        """Point the vendor's inbound traffic for `sender` at `url`."""
        ...

    def unwire(self, credentials: Credentials, undo: Mapping[str, Any]) -> str:
        """Put back what `wire` replaced; a sentence saying what was restored ("" when nothing was)."""
        ...

    def read_wiring(self, credentials: Credentials, undo: Mapping[str, Any]) -> str | None:
        """The URL the vendor's setting that `wire` changed points at now; None where the vendor cannot
        tell (the URL is set by hand)."""
        ...

    def send_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, text: str,
                   reference: str, media: Sequence[str] = ()) -> str:
        """Send `text` (with `media`, URLs of images, as an MMS where the credentials carry one) from `sender`
        to `to` with a client of `client()`; the vendor's message ID. `reference` is unique per reply (at most 64
        characters: letters, digits, `-`): give it to the vendor as its client reference or idempotency key where
        it has one, so `find_reply` can find the send. Media the vendor cannot send raise `VendorRejected` (the
        model's rules keep such replies from being declared)."""
        ...

    def find_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, reference: str,
                   since: datetime) -> str | None:
        """The vendor's message ID of a reply sent with `reference` (no earlier than `since`), or None when
        the vendor has none, or cannot tell (`reply_lookup` is False)."""
        ...

    def parse(self, request: WebhookRequest, credentials: Callable[[], Credentials | None]) -> list[Parsed]:
        """The inbound messages and delivery reports in a webhook request. Raises `PayloadError` for a
        malformed body and `SignatureRejected` for a request the vendor did not sign. `credentials` loads
        the webhook's credentials, for vendors that sign their requests with a secret."""
        ...

    def simulated_request(
        self, credentials: Credentials, webhook: Mapping[str, Any], *, profile_number: str, text: str
    ) -> VendorRequest:
        """The request the vendor would post to the webhook for one message from `profile_number`."""
        ...


class BaseProvider(ABC):
    """Defaults for a provider: no API to wire webhooks (the URL is pasted by hand), senders checked by
    verifying the credentials, a JSON answer to webhooks."""

    name: ClassVar[str]
    label: ClassVar[str]
    manual_wiring: ClassVar[str | None] = "the inbound webhook setting of the provider"
    acknowledgement: ClassVar[tuple[str, str] | None] = None
    reply_lookup: ClassVar[bool] = False

    @abstractmethod
    def client(self, credentials: Credentials) -> VendorClient: ...

    def verify(self, credentials: Credentials) -> None:
        with self.client(credentials) as client:
            client.verify()

    def check_sender(self, credentials: Credentials, sender: str, *, channel: str = "sms") -> str | None:
        self.verify(credentials)
        return None

    def no_media(self, media: Sequence[str]) -> None:
        """Refuse media where the provider sends text only."""
        if media:
            raise VendorRejected(f"{self.label} replies carry text only, not media ({len(media)} URL(s) given)",
                                 vendor=self.name)

    def wire(self, credentials: Credentials, *, sender: str, url: str) -> Wiring:
        return Wiring(f"set by hand: paste {url} into {self.manual_wiring or 'the vendor settings'}")

    def unwire(self, credentials: Credentials, undo: Mapping[str, Any]) -> str:
        return ""

    def read_wiring(self, credentials: Credentials, undo: Mapping[str, Any]) -> str | None:
        return None

    def find_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, reference: str,
                   since: datetime) -> str | None:
        return None


__all__ = [
    "BaseProvider",
    "Credentials",
    "Parsed",
    "SignatureRejected",
    "SmsProvider",
    "VendorRequest",
    "WebhookRequest",
    "Wiring",
    "now_text",
    "without_plus",
]
