"""The `provider "smschannel"` block: where the registry is, the token, the sandbox, local vendors."""

from __future__ import annotations

from typing import ClassVar

from smschannel.model.base import ResourceModel
from smschannel.model.fields import attr
from smschannel.model.types import HttpsUrl, Text


class ProviderConfigModel(ResourceModel):
    """Settings of the smschannel provider. Each may come from an environment variable instead."""

    type_name: ClassVar[str] = "smschannel"
    title: ClassVar[str] = "provider smschannel"
    scope: ClassVar[str] = ""

    endpoint: HttpsUrl | None = attr(
        "The registry's address, e.g. `https://smschannel.example.com`. Read from `SMSCHANNEL_ENDPOINT` "
        "when unset; required one way or the other.",
        default=None, env="SMSCHANNEL_ENDPOINT", example="http://127.0.0.1:8600",
    )
    token: Text | None = attr(
        "The registry API token. Read from `SMSCHANNEL_TOKEN` when unset (recommended: the token then "
        "stays out of the configuration). Its scopes are checked when Terraform plans.",
        default=None, sensitive=True, env="SMSCHANNEL_TOKEN",
    )
    sandbox: Text | None = attr(
        "The sandbox the objects live in. Read from `SMSCHANNEL_SANDBOX` when unset; when both are "
        "unset, `prod`.",
        default=None, env="SMSCHANNEL_SANDBOX", example="prod",
    )
    twilio_url: HttpsUrl | None = attr(
        "The Twilio REST API's address, for local vendors. Read from `SMSCHANNEL_TWILIO_URL` when unset; "
        "when both are unset, `https://api.twilio.com`.",
        default=None, env="SMSCHANNEL_TWILIO_URL",
    )
    twilio_messaging_url: HttpsUrl | None = attr(
        "The Twilio Messaging API's address, for local vendors. Read from `SMSCHANNEL_TWILIO_MESSAGING_URL` "
        "when unset; when both are unset, `twilio_url` if set, else `https://messaging.twilio.com`.",
        default=None, env="SMSCHANNEL_TWILIO_MESSAGING_URL",
    )
    sinch_conversation_url: HttpsUrl | None = attr(
        "The Sinch Conversation API's address (MMS and RCS), for local vendors; it replaces every regional "
        "address. Read from `SMSCHANNEL_SINCH_CONVERSATION_URL` when unset; when both are unset, the "
        "region's own address.",
        default=None, env="SMSCHANNEL_SINCH_CONVERSATION_URL",
    )
    sinch_url: HttpsUrl | None = attr(
        "The Sinch SMS API's address, for local vendors; it replaces every regional address. Read from "
        "`SMSCHANNEL_SINCH_URL` when unset; when both are unset, the region's own address.",
        default=None, env="SMSCHANNEL_SINCH_URL",
    )


__all__ = ["ProviderConfigModel"]
