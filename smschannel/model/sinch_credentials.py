"""`smschannel_sinch_credentials`: a Sinch SMS service plan's API credentials."""

from __future__ import annotations

from typing import ClassVar, Literal

from smschannel.model.credentials import INBOUND_NUMBER, CredentialsModel
from smschannel.model.fields import attr, secret
from smschannel.model.secrets import SecretRef
from smschannel.model.types import E164, HttpsUrl, ServicePlanId

SINCH_REGIONS = ("us", "eu", "au", "br", "ca")


class SinchCredentialsModel(CredentialsModel):
    """The API credentials of a Sinch SMS service plan. They are checked against Sinch (the plan's
    batches are listed) when created and whenever the token, the region or the plan changes."""

    type_name: ClassVar[str] = "smschannel_sinch_credentials"
    title: ClassVar[str] = "Sinch credentials"
    vendor: ClassVar[str] = "sinch"
    provider: ClassVar[str] = "smschannel.providers.sinch"
    webhook_types: ClassVar[tuple[str, ...]] = ("inbound",)
    webhook_type_hint: ClassVar[str] = ('type: Sinch delivers inbound messages and delivery reports to one webhook: '
                                        'use type = "inbound" (it receives both)')
    id_prefix: ClassVar[str] = "sincred"
    verified_fields: ClassVar[tuple[str, ...]] = ("service_plan_id", "region")

    service_plan_id: ServicePlanId = attr(
        "The ID of the Sinch SMS service plan (32 hex digits), as shown in the Sinch dashboard.",
        example="0123456789abcdef0123456789abcdef",
    )
    api_token: SecretRef | None = secret(
        "The API token of the service plan.", example_env="SINCH_API_TOKEN"
    )
    region: Literal["us", "eu", "au", "br", "ca"] = attr(
        "The Sinch region that hosts the service plan: `us`, `eu`, `au`, `br` or `ca`. When unset, `us`.",
        default="us",
    )
    inbound_number: E164 | None = attr(
        INBOUND_NUMBER,
        default=None,
    )
    override_url: HttpsUrl | None = attr(
        "The URL that receives the delivery reports of the messages smschannel sends with these credentials "
        "(keyword replies), instead of the callback URL set in the Sinch dashboard: each batch carries it as "
        "Sinch's `callback_url` and asks for a report per recipient. Sinch offers no API to move where inbound "
        "messages go: they still follow the dashboard's callback URL, which an inbound `smschannel_webhook` "
        "tells you to set. When unset, the dashboard's callback URL gets the delivery reports.",
        default=None,
    )


__all__ = ["SINCH_REGIONS", "SinchCredentialsModel"]
