from __future__ import annotations

from smschannel.constructs.base import ModelConstruct
from smschannel.model.sinch_mms_credentials import SinchMmsCredentialsModel, SinchRcsCredentialsModel


class SinchMmsCredentials(ModelConstruct):
    model = SinchMmsCredentialsModel


class SinchRcsCredentials(ModelConstruct):
    model = SinchRcsCredentialsModel


__all__ = ["SinchMmsCredentials", "SinchRcsCredentials"]
