"""The resource models: the single source of truth for attributes, docs, validation and flags."""

from __future__ import annotations

from smschannel.model.base import (
    AttributeSpec,
    BlockModel,
    Derived,
    Inherited,
    ResourceModel,
    Rule,
    attribute_specs,
    check,
    defaults,
    derive,
    fold,
    inherited,
    input_names,
    secret_fields,
    specs_by_name,
)
from smschannel.model.channel_settings import ChannelSettingsModel
from smschannel.model.configuration import ConfigurationModel
from smschannel.model.credentials import CredentialsModel
from smschannel.model.custom_credentials import CustomCredentialsModel
from smschannel.model.infobip_credentials import InfobipCredentialsModel
from smschannel.model.sinch_credentials import SinchCredentialsModel
from smschannel.model.sinch_mms_credentials import SinchMmsCredentialsModel, SinchRcsCredentialsModel
from smschannel.model.subdomain import SubdomainModel
from smschannel.model.twilio_credentials import TwilioCredentialsModel
from smschannel.model.webhook import WebhookModel

RESOURCES: list[type[ResourceModel]] = []
"""Every resource type, in the order docs and schemas list them: the credentials of each SMS provider,
then what every provider shares. `register` adds a provider's credentials (the one line a new provider
needs here; a provider outside this package calls it itself)."""

BY_TYPE: dict[str, type[ResourceModel]] = {}
BY_STEM: dict[str, type[ResourceModel]] = {}
CREDENTIALS: list[type[CredentialsModel]] = []
"""The credentials types, in `RESOURCES` order."""


def register(model: type[ResourceModel]) -> None:
    """Make a resource type known to every layer: the constructs, the Terraform plugin, the registry and
    the docs list `RESOURCES`. Credentials go after the credentials already known; registering a type
    twice changes nothing."""
    if model in RESOURCES:
        return
    clash = BY_TYPE.get(model.type_name)
    if clash is not None:
        raise ValueError(f"{model.type_name} is already registered by {clash.__module__}.{clash.__qualname__}")
    if issubclass(model, CredentialsModel):
        RESOURCES.insert(len(CREDENTIALS), model)
        CREDENTIALS.append(model)
    else:
        RESOURCES.append(model)
    BY_TYPE[model.type_name] = model
    BY_STEM[model.stem()] = model


def unregister(model: type[ResourceModel]) -> None:
    """Forget a resource type `register` added (a provider unloaded, a test done with it)."""
    if model not in RESOURCES:
        return
    RESOURCES.remove(model)
    if model in CREDENTIALS:
        CREDENTIALS.remove(model)
    BY_TYPE.pop(model.type_name, None)
    BY_STEM.pop(model.stem(), None)


def vendors() -> tuple[str, ...]:
    """The `vendor` of every credentials type, each once, in `RESOURCES` order (a webhook's `vendor`)."""
    return tuple(dict.fromkeys(m.vendor for m in CREDENTIALS))


def vendor_credentials(vendor: object) -> type[CredentialsModel] | None:
    """The first credentials type of a vendor (what the vendor's webhooks accept), or None."""
    return next((m for m in CREDENTIALS if m.vendor == vendor), None)


def credentials_for_id(object_id: str) -> type[CredentialsModel] | None:
    """The credentials type an ID names (its prefix says it), or None when it names none."""
    return next((m for m in CREDENTIALS if object_id.startswith(f"{m.id_prefix}_")), None)


for _model in (
    SinchCredentialsModel,
    SinchMmsCredentialsModel,
    SinchRcsCredentialsModel,
    InfobipCredentialsModel,
    TwilioCredentialsModel,
    CustomCredentialsModel,
    WebhookModel,
    SubdomainModel,
    ConfigurationModel,
    ChannelSettingsModel,
):
    register(_model)

__all__ = [
    "BY_STEM",
    "BY_TYPE",
    "CREDENTIALS",
    "RESOURCES",
    "AttributeSpec",
    "BlockModel",
    "ChannelSettingsModel",
    "ConfigurationModel",
    "CredentialsModel",
    "CustomCredentialsModel",
    "Derived",
    "InfobipCredentialsModel",
    "Inherited",
    "ResourceModel",
    "Rule",
    "SinchCredentialsModel",
    "SinchMmsCredentialsModel",
    "SinchRcsCredentialsModel",
    "SubdomainModel",
    "TwilioCredentialsModel",
    "WebhookModel",
    "attribute_specs",
    "check",
    "credentials_for_id",
    "defaults",
    "derive",
    "fold",
    "inherited",
    "input_names",
    "register",
    "secret_fields",
    "specs_by_name",
    "unregister",
    "vendor_credentials",
    "vendors",
]
