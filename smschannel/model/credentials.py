"""What every credentials model shares: the computed ID, a name, and the verify-connection time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from smschannel.model.base import ResourceModel
from smschannel.model.fields import attr
from smschannel.model.types import DisplayName, ObjectId

INBOUND_NUMBER = (
    "A number (E.164) of the account that people text to reach these credentials in this sandbox. Where the vendor "
    "can tell (Twilio: the account's or the messaging service's numbers; Infobip: the account's numbers) it is "
    "checked to belong to the account when the plan runs and when saved. Messages the vendor delivers to it are "
    "handled by this sandbox's inbound `smschannel_webhook` on these credentials, whichever webhook URL of the same "
    "vendor account the vendor called: credentials reused in several sandboxes (one Sinch service plan has one "
    "callback URL) each get the messages of their own inbound number. When unset, a message is handled by the "
    "webhook whose URL the vendor called.")
"""The description of `inbound_number`, shared by the credentials types that have one."""


class CredentialsModel(ResourceModel):
    scope: ClassVar[str] = "sms_settings"
    vendor: ClassVar[str]
    """The vendor these credentials belong to (`twilio`, `sinch`, ...)."""
    channels: ClassVar[frozenset[str]] = frozenset({"sms"})
    """The channels a configuration may carry over these credentials."""
    max_media: ClassVar[int] = 0
    """How many media URLs (images) one reply can carry over these credentials (0: text only)."""
    verified_fields: ClassVar[tuple[str, ...]] = ()
    """Inputs besides the secrets whose change repeats the verify-connection step."""
    provider: ClassVar[str]
    """The module of the SMS provider that serves these credentials (`smschannel.providers.twilio`): it
    verifies them, wires webhooks, parses the vendor's requests and sends replies."""
    webhook_types: ClassVar[tuple[str, ...]] = ("inbound", "feedback")
    """The webhook `type`s the vendor calls."""
    webhook_type_hint: ClassVar[str] = ""
    """What to write instead of a webhook `type` the vendor does not call."""
    needs_payload_mapping: ClassVar[bool] = False
    """Whether the vendor's webhooks say where its JSON puts each field (`payload_mapping`)."""
    registrations: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    """Per country (ISO code), the attributes that carry the sender's registration with that country's
    operators (Infobip's India DLT IDs): a configuration sending there needs them set."""

    @classmethod
    def verification_inputs(cls) -> tuple[str, ...]:
        """The attributes whose change repeats the verify-connection step: `verified_fields` and the
        secrets' fingerprints."""
        from smschannel.model.base import secret_fields

        return (*cls.verified_fields, *(f"{f}_fingerprint" for f in secret_fields(cls)))

    id: ObjectId | None = attr(
        "The registry's ID of these credentials. It is also the import ID.", computed=True
    )
    name: DisplayName = attr(
        "A name for these credentials, shown to the people who pick them in a channel configuration. "
        "Unique per sandbox among credentials of the same vendor.",
        example="main",
    )
    verified_at: str | None = attr(
        "When the credentials last passed the verify-connection step against the vendor (RFC 3339). "
        "The step runs when the credentials are created and when a secret or an attribute that identifies the "
        "account changes.",
        computed=True,
        volatile=True,
    )


__all__ = ["INBOUND_NUMBER", "CredentialsModel"]
