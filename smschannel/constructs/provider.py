from __future__ import annotations

from smschannel.constructs.base import ModelProvider
from smschannel.model.provider_config import ProviderConfigModel


class SmschannelProvider(ModelProvider):
    model = ProviderConfigModel


__all__ = ["SmschannelProvider"]
