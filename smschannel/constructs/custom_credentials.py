from __future__ import annotations

from smschannel.constructs.base import ModelConstruct
from smschannel.model.custom_credentials import CustomCredentialsModel


class CustomCredentials(ModelConstruct):
    model = CustomCredentialsModel


__all__ = ["CustomCredentials"]
