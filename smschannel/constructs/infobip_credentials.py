from __future__ import annotations

from smschannel.constructs.base import ModelConstruct
from smschannel.model.infobip_credentials import InfobipCredentialsModel


class InfobipCredentials(ModelConstruct):
    model = InfobipCredentialsModel


__all__ = ["InfobipCredentials"]
