"""`smschannel_twilio_credentials`: a Twilio account's API credentials."""

from __future__ import annotations

from typing import ClassVar

from smschannel.model.credentials import INBOUND_NUMBER, CredentialsModel
from smschannel.model.fields import attr, secret
from smschannel.model.secrets import SecretRef
from smschannel.model.types import E164, AccountSid, MessagingServiceSid


class TwilioCredentialsModel(CredentialsModel):
    """The API credentials of a Twilio account. They are checked against Twilio (the account is
    fetched) when created and whenever the auth token or the account SID changes. They carry SMS and
    MMS: an MMS configuration needs a sender Twilio reports as MMS-capable, and webhook replies may
    carry up to 10 images."""

    type_name: ClassVar[str] = "smschannel_twilio_credentials"
    title: ClassVar[str] = "Twilio credentials"
    vendor: ClassVar[str] = "twilio"
    provider: ClassVar[str] = "smschannel.providers.twilio"
    id_prefix: ClassVar[str] = "twcred"
    verified_fields: ClassVar[tuple[str, ...]] = ("account_sid",)
    channels: ClassVar[frozenset[str]] = frozenset({"sms", "mms"})
    max_media: ClassVar[int] = 10

    account_sid: AccountSid = attr(
        "The Twilio account SID: `AC` followed by 32 hex digits, as shown in the Twilio console.",
        example="AC0123456789abcdef0123456789abcdef",
    )
    auth_token: SecretRef | None = secret(
        "The Twilio auth token of the account.", example_env="TWILIO_AUTH_TOKEN"
    )
    messaging_service_sid: MessagingServiceSid | None = attr(
        'The SID of a Twilio messaging service ("MG" followed by 32 hex digits) to send through. When '
        "unset, messages are sent from the configuration's sender number directly.",
        default=None,
    )
    inbound_number: E164 | None = attr(
        INBOUND_NUMBER,
        default=None,
    )


__all__ = ["TwilioCredentialsModel"]
