from __future__ import annotations

from smschannel.constructs.base import ModelConstruct
from smschannel.model.sinch_credentials import SinchCredentialsModel


class SinchCredentials(ModelConstruct):
    model = SinchCredentialsModel


__all__ = ["SinchCredentials"]
