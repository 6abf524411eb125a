from __future__ import annotations

from smschannel.constructs.base import ModelConstruct
from smschannel.model.webhook import WebhookModel


class Webhook(ModelConstruct):
    model = WebhookModel


__all__ = ["Webhook"]
