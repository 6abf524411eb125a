"""What each kind of object adds to the registry's generic create/update/delete: one handler per kind."""

from __future__ import annotations

from smschannel.model import ConfigurationModel, CredentialsModel, ResourceModel, SubdomainModel, WebhookModel
from smschannel.registry.kinds.base import Handler, Refused, Saved
from smschannel.registry.kinds.configurations import ConfigurationHandler
from smschannel.registry.kinds.credentials import CredentialsHandler
from smschannel.registry.kinds.subdomains import SubdomainHandler
from smschannel.registry.kinds.webhooks import WebhookHandler


def handler_for(model: type[ResourceModel]) -> Handler:
    if issubclass(model, CredentialsModel):
        return CredentialsHandler()
    if model is WebhookModel:
        return WebhookHandler()
    if model is SubdomainModel:
        return SubdomainHandler()
    if model is ConfigurationModel:
        return ConfigurationHandler()
    return Handler()


__all__ = ["Handler", "Refused", "Saved", "handler_for"]
