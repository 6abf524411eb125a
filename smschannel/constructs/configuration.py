from __future__ import annotations

from smschannel.constructs.base import ModelConstruct
from smschannel.model.configuration import ConfigurationModel


class ChannelConfiguration(ModelConstruct):
    model = ConfigurationModel


__all__ = ["ChannelConfiguration"]
