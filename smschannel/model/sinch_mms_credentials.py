"""`smschannel_sinch_mms_credentials` and `smschannel_sinch_rcs_credentials`: Sinch Conversation API
projects that carry MMS and RCS."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field

from smschannel.model.credentials import CredentialsModel
from smschannel.model.fields import attr, secret
from smschannel.model.secrets import SecretRef
from smschannel.model.types import ServicePlanId, Text, _shown

_SINCH_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")


def sinch_id(value: str) -> str:
    if not _SINCH_ID.match(value):
        raise ValueError(f"must be a Sinch ID (8-64 letters, digits and hyphens), got {_shown(value)}")
    return value


SinchId = Annotated[Text, AfterValidator(sinch_id)]
Rps = Annotated[int, Field(strict=True, ge=0, le=10000)]


class SinchMmsCredentialsModel(CredentialsModel):
    """The Sinch Conversation API project and app that send MMS. Outbound only: receiving replies and
    keeping consent need a Sinch SMS credential (`smschannel_sinch_credentials`) too. Checked against
    Sinch (the app is read) when created and whenever the token, project or app changes."""

    type_name: ClassVar[str] = "smschannel_sinch_mms_credentials"
    title: ClassVar[str] = "Sinch MMS credentials"
    vendor: ClassVar[str] = "sinch_conversational"
    provider: ClassVar[str] = "smschannel.providers.sinch_conversation"
    id_prefix: ClassVar[str] = "mmscred"
    channels: ClassVar[frozenset[str]] = frozenset({"mms"})
    max_media: ClassVar[int] = 1
    verified_fields: ClassVar[tuple[str, ...]] = ("project_id", "app_id", "region")

    project_id: SinchId = attr("The Sinch project ID.", example="0123abcd-4567-89ef-0123-456789abcdef")
    app_id: SinchId = attr("The Conversation API app ID that sends the messages.", example="01HAPPIDEXAMPLE0000000000")
    api_token: SecretRef | None = secret("The Conversation API access token of the project.",
                                         example_env="SINCH_MMS_API_TOKEN")
    region: Literal["us", "eu", "br"] = attr(
        "The Conversation API region of the app: `us`, `eu` or `br`. When unset, `us`.", default="us")


class SinchRcsCredentialsModel(CredentialsModel):
    """The Sinch Conversation API project and app that send RCS, with the SMS service plan RCS falls
    back to. Both parts are checked against Sinch when created and whenever a token or ID changes.
    Replies fall back to SMS: they are sent with RCS first and SMS second, so Sinch switches to the app's
    SMS channel when a phone cannot take RCS; when the Conversation API refuses a reply outright, it goes
    as an SMS through the service plan below (images as links)."""

    type_name: ClassVar[str] = "smschannel_sinch_rcs_credentials"
    title: ClassVar[str] = "Sinch RCS credentials"
    vendor: ClassVar[str] = "sinch_conversational"
    provider: ClassVar[str] = "smschannel.providers.sinch_conversation"
    id_prefix: ClassVar[str] = "rcscred"
    channels: ClassVar[frozenset[str]] = frozenset({"rcs", "sms"})
    max_media: ClassVar[int] = 1
    verified_fields: ClassVar[tuple[str, ...]] = ("project_id", "app_id", "region", "service_plan_id")

    project_id: SinchId = attr("The Sinch project ID.", example="0123abcd-4567-89ef-0123-456789abcdef")
    app_id: SinchId = attr("The Conversation API app ID with the RCS channel.", example="01HAPPIDEXAMPLE0000000000")
    api_token: SecretRef | None = secret("The Conversation API access token of the project.",
                                         example_env="SINCH_RCS_API_TOKEN")
    service_plan_id: ServicePlanId = attr(
        "The Sinch SMS service plan (32 hex digits) that carries the SMS fallback of replies the Conversation "
        "API refuses.", example="0123456789abcdef0123456789abcdef")
    sms_api_token: SecretRef | None = secret("The API token of the SMS service plan.",
                                             example_env="SINCH_SMS_API_TOKEN")
    rate_limit_rps: Rps = attr(
        "The most messages per second smschannel sends with these credentials; 0 means unlimited. When "
        "unset, 0.", default=0)
    region: Literal["us", "eu", "br"] = attr(
        "The Conversation API region of the app: `us`, `eu` or `br`. When unset, `us`.", default="us")


__all__ = ["SinchMmsCredentialsModel", "SinchRcsCredentialsModel"]
