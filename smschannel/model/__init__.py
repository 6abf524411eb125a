"""The resource models: the single source of truth for attributes, docs, validation and flags."""

from __future__ import annotations

from smschannel.model.base import (
    AttributeSpec,
    BlockModel,
    Derived,
    ResourceModel,
    Rule,
    attribute_specs,
    check,
    defaults,
    derive,
    fold,
    input_names,
    secret_fields,
    specs_by_name,
)
from smschannel.model.configuration import ConfigurationModel
from smschannel.model.credentials import CredentialsModel
from smschannel.model.custom_credentials import CustomCredentialsModel
from smschannel.model.infobip_credentials import InfobipCredentialsModel
from smschannel.model.sinch_credentials import SinchCredentialsModel
from smschannel.model.sinch_mms_credentials import SinchMmsCredentialsModel, SinchRcsCredentialsModel
from smschannel.model.subdomain import SubdomainModel
from smschannel.model.twilio_credentials import TwilioCredentialsModel
from smschannel.model.webhook import WebhookModel

RESOURCES: tuple[type[ResourceModel], ...] = (
    SinchCredentialsModel,
    SinchMmsCredentialsModel,
    SinchRcsCredentialsModel,
    InfobipCredentialsModel,
    TwilioCredentialsModel,
    CustomCredentialsModel,
    WebhookModel,
    SubdomainModel,
    ConfigurationModel,
)
"""Every resource type, in the order docs and schemas list them."""

BY_TYPE: dict[str, type[ResourceModel]] = {m.type_name: m for m in RESOURCES}
BY_STEM: dict[str, type[ResourceModel]] = {m.stem(): m for m in RESOURCES}
CREDENTIALS: tuple[type[CredentialsModel], ...] = tuple(m for m in RESOURCES if issubclass(m, CredentialsModel))

__all__ = [
    "BY_STEM",
    "BY_TYPE",
    "CREDENTIALS",
    "RESOURCES",
    "AttributeSpec",
    "BlockModel",
    "ConfigurationModel",
    "CredentialsModel",
    "CustomCredentialsModel",
    "Derived",
    "InfobipCredentialsModel",
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
    "defaults",
    "derive",
    "fold",
    "input_names",
    "secret_fields",
    "specs_by_name",
]
