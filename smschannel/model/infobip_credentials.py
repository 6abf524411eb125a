"""`smschannel_infobip_credentials`: an Infobip account's API key and sending settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from smschannel.model.credentials import INBOUND_NUMBER, CredentialsModel
from smschannel.model.fields import attr, secret
from smschannel.model.secrets import SecretRef
from smschannel.model.types import E164, HttpsUrl, Text, _is_loopback, _shown


def infobip_base_url(value: str) -> str:
    host = urlsplit(value).hostname or ""
    if not (host == "infobip.com" or host.endswith(".infobip.com") or _is_loopback(host)):
        raise ValueError("must be your account's own Infobip address such as https://xxxx.api.infobip.com "
                         f"(regional hosts under infobip.com are allowed), got {_shown(value)}")
    if urlsplit(value).path not in ("", "/"):
        raise ValueError(f"must be the address alone, without a path, got {_shown(value)}")
    return value.rstrip("/")


InfobipBaseUrl = Annotated[HttpsUrl, AfterValidator(infobip_base_url)]
Hours = Annotated[int, Field(strict=True, ge=1, le=48)]
CallbackData = Annotated[Text, Field(max_length=4000)]


class InfobipCredentialsModel(CredentialsModel):
    """The API key of an Infobip account and how messages are sent through it. The key is checked
    against Infobip (the account balance is read) when created and whenever the key or the base URL
    changes. They carry SMS and MMS (sent with the Messages API): an MMS configuration needs a number
    Infobip reports as MMS-capable, and a webhook reply may carry one image."""

    type_name: ClassVar[str] = "smschannel_infobip_credentials"
    title: ClassVar[str] = "Infobip credentials"
    vendor: ClassVar[str] = "infobip"
    provider: ClassVar[str] = "smschannel.providers.infobip"
    id_prefix: ClassVar[str] = "ibcred"
    verified_fields: ClassVar[tuple[str, ...]] = ("base_url",)
    channels: ClassVar[frozenset[str]] = frozenset({"sms", "mms"})
    max_media: ClassVar[int] = 1
    registrations: ClassVar[Mapping[str, tuple[str, ...]]] = {"IN": ("principal_entity_id", "content_template_id")}

    base_url: InfobipBaseUrl = attr(
        "The account's own API address, `https://xxxx.api.infobip.com`, as shown in the Infobip portal "
        "(regional hosts under infobip.com are allowed).", example="https://xxxx.api.infobip.com")
    api_key: SecretRef | None = secret("The Infobip API key (sent as `Authorization: App <key>`).",
                                       example_env="INFOBIP_API_KEY")
    principal_entity_id: Text | None = attr(
        "India DLT: the principal entity ID registered for the sender. Required when a configuration on these "
        "credentials lists `IN` in its `countries`. When unset, none is sent.", default=None)
    content_template_id: Text | None = attr(
        "India DLT: the content template ID registered for the messages. Required when a configuration on these "
        "credentials lists `IN` in its `countries`. When unset, none is sent.",
        default=None)
    validity_period_hours: Hours = attr(
        "How long Infobip keeps trying to deliver a message, in hours (1 to 48). When unset, 48.", default=48)
    callback_data: CallbackData | None = attr(
        "Text Infobip returns with each delivery report (at most 4000 characters). When unset, none.",
        default=None)
    inbound_number: E164 | None = attr(
        INBOUND_NUMBER, default=None)


__all__ = ["InfobipCredentialsModel"]
