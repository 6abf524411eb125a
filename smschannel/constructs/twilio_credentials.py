from __future__ import annotations

from smschannel.constructs.base import ModelConstruct
from smschannel.model.twilio_credentials import TwilioCredentialsModel


class TwilioCredentials(ModelConstruct):
    model = TwilioCredentialsModel


__all__ = ["TwilioCredentials"]
