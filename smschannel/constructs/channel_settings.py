from __future__ import annotations

from smschannel.constructs.base import ModelConstruct
from smschannel.model.channel_settings import ChannelSettingsModel


class ChannelSettings(ModelConstruct):
    model = ChannelSettingsModel


__all__ = ["ChannelSettings"]
