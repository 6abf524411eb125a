"""`smschannel_channel_settings`: a sandbox's channel settings, the defaults its channel configurations
inherit."""

from __future__ import annotations

from typing import ClassVar

from smschannel.model.base import ResourceModel
from smschannel.model.fields import attr
from smschannel.model.types import ObjectId, Text

DEFAULT_EXECUTION_FIELD = "mobilePhone.number"


class ChannelSettingsModel(ResourceModel):
    """The channel settings of the provider's sandbox: the defaults its channel configurations inherit.
    A sandbox has one: declare it once, in one Terraform configuration (a second declaration fails and
    says to import it). Until declared, and again after destroy, the sandbox holds the defaults below.
    Channel configurations that leave `execution_field` unset follow the sandbox's value: a change here
    reaches them with the same apply (their `effective_execution_field`), and the plan names them."""

    type_name: ClassVar[str] = "smschannel_channel_settings"
    title: ClassVar[str] = "channel settings"
    scope: ClassVar[str] = "channel_configurations"
    id_prefix: ClassVar[str] = "chs"
    per_sandbox: ClassVar[bool] = True

    id: ObjectId | None = attr(
        "The name of the sandbox these settings belong to (the provider's `sandbox`). It is also the import ID.",
        computed=True)
    execution_field: Text = attr(
        "The profile attribute that holds the number to send to, for the channel configurations of the sandbox "
        "that leave their `execution_field` unset. When unset, `mobilePhone.number`.",
        default=DEFAULT_EXECUTION_FIELD, example="mobilePhone.number")


__all__ = ["DEFAULT_EXECUTION_FIELD", "ChannelSettingsModel"]
