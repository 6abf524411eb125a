"""`smschannel_configuration`: a channel configuration, what a journey or campaign picks to send."""

from __future__ import annotations

from typing import ClassVar, Literal

from smschannel.model.base import ResourceModel
from smschannel.model.fields import attr
from smschannel.model.types import ConfigurationName, ObjectId, SenderNumber, Text

CHANNELS = ("sms", "mms", "rcs")


class ConfigurationModel(ResourceModel):
    """A channel configuration: the channel, the credentials and the sender a journey or campaign
    sends with. It is checked against the vendor when created or changed (Twilio and Infobip: the
    sender belongs to the account, or to its messaging service; other vendors: the credentials pass
    the verify-connection step) and becomes `active`, or `failed` with the reason in `status_reason`."""

    type_name: ClassVar[str] = "smschannel_configuration"
    title: ClassVar[str] = "channel configuration"
    scope: ClassVar[str] = "channel_configurations"
    id_prefix: ClassVar[str] = "cfg"

    id: ObjectId | None = attr("The registry's ID of the configuration. It is also the import ID.", computed=True)
    name: ConfigurationName = attr(
        "The configuration's name, unique in its sandbox: it starts with a letter and holds letters, "
        "digits, `_`, `.` and `-`.",
        replace=True,
        example="marketing-us",
    )
    description: Text | None = attr("A description for the people who pick the configuration.", default=None)
    channel: Literal["sms", "mms", "rcs"] = attr(
        "The channel: `sms`, `mms` or `rcs`.", replace=True,
        example="sms",
    )
    sms_type: Literal["marketing", "transactional"] = attr(
        "`marketing` (sent only to profiles that consented) or `transactional`.", example="marketing"
    )
    credentials_id: ObjectId = attr(
        "The `id` of the credentials to send with. Their vendor must be able to carry the channel "
        "(MMS: Sinch MMS or custom credentials; RCS: Sinch RCS or custom credentials).",
        example="smschannel_twilio_credentials.main.id",
    )
    sender_number: SenderNumber = attr(
        "The sender: an E.164 long code (`+14155550100`), a short code of 5-6 digits, or an "
        "alphanumeric sender ID of 1-11 characters, not all digits. An alphanumeric sender cannot "
        "receive replies.",
        example="+14155550100",
    )
    subdomain_id: ObjectId | None = attr(
        "The `id` of an SMS subdomain in `success` status, to shorten links in messages. When unset, "
        "links are not shortened.",
        default=None,
        replace=True,
    )
    execution_field: Text = attr(
        "The profile attribute that holds the number to send to. When unset, `mobilePhone.number`.",
        default="mobilePhone.number",
    )
    status: Literal["processing", "active", "failed", "deactivated"] | None = attr(
        "`processing` while the checks run, then `active`, or `failed` (see `status_reason`); "
        "`deactivated` when its credentials are gone.",
        computed=True,
        volatile=True,
    )
    status_reason: str | None = attr(
        "Why the configuration is not `active`, in words a person can act on; empty when it is.",
        computed=True,
        volatile=True,
    )


__all__ = ["CHANNELS", "ConfigurationModel"]
