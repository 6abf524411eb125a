"""What each kind of object adds to the registry's generic create/update/delete: one handler per kind,
found in one table by the model's class (or the nearest base class listed)."""

from __future__ import annotations

from smschannel.model import (
    ChannelSettingsModel,
    ConfigurationModel,
    CredentialsModel,
    ResourceModel,
    SubdomainModel,
    WebhookModel,
)
from smschannel.registry.kinds.base import Handler, Refused, Saved
from smschannel.registry.kinds.channel_settings import ChannelSettingsHandler
from smschannel.registry.kinds.configurations import ConfigurationHandler
from smschannel.registry.kinds.credentials import CredentialsHandler
from smschannel.registry.kinds.subdomains import SubdomainHandler
from smschannel.registry.kinds.webhooks import WebhookHandler

HANDLERS: dict[type[ResourceModel], Handler] = {
    CredentialsModel: CredentialsHandler(),
    WebhookModel: WebhookHandler(),
    SubdomainModel: SubdomainHandler(),
    ConfigurationModel: ConfigurationHandler(),
    ChannelSettingsModel: ChannelSettingsHandler(),
}


def handler_for(model: type[ResourceModel]) -> Handler:
    return next((HANDLERS[base] for base in model.__mro__ if base in HANDLERS), Handler())


__all__ = ["HANDLERS", "Handler", "Refused", "Saved", "handler_for"]
