"""The resource models: the single source of truth for attributes, docs, validation and flags."""

from __future__ import annotations

from smschannel.model.base import (
    AttributeSpec,
    ResourceModel,
    Rule,
    attribute_specs,
    check,
    defaults,
    fold,
    input_names,
    secret_fields,
    specs_by_name,
)
from smschannel.model.configuration import ConfigurationModel
from smschannel.model.credentials import CredentialsModel
from smschannel.model.sinch_credentials import SinchCredentialsModel
from smschannel.model.twilio_credentials import TwilioCredentialsModel

RESOURCES: tuple[type[ResourceModel], ...] = (
    TwilioCredentialsModel,
    SinchCredentialsModel,
    ConfigurationModel,
)
"""Every resource type, in the order docs and schemas list them."""

BY_TYPE: dict[str, type[ResourceModel]] = {m.type_name: m for m in RESOURCES}
BY_STEM: dict[str, type[ResourceModel]] = {m.stem(): m for m in RESOURCES}

__all__ = [
    "BY_STEM",
    "BY_TYPE",
    "RESOURCES",
    "AttributeSpec",
    "ConfigurationModel",
    "CredentialsModel",
    "ResourceModel",
    "Rule",
    "SinchCredentialsModel",
    "TwilioCredentialsModel",
    "attribute_specs",
    "check",
    "defaults",
    "fold",
    "input_names",
    "secret_fields",
    "specs_by_name",
]
