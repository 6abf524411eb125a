"""CDKTF (or CDK Terrain) constructs for smschannel, generated from the models with typed arguments and
attributes (`smschannel/docs/_constructs.py`, `make docs`); `_cdk` says which CDK they build on.

Importing this package also makes an invalid prop end the program with the one-line messages of
`ValidationFailed` instead of a traceback (other errors keep their traceback).
"""

from __future__ import annotations

import os
import sys
from types import TracebackType

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from smschannel.constructs.base import ModelConstruct, ModelProvider
from smschannel.constructs.configuration import ChannelConfiguration
from smschannel.constructs.custom_credentials import CustomCredentials
from smschannel.constructs.infobip_credentials import InfobipCredentials
from smschannel.constructs.provider import SmschannelProvider
from smschannel.constructs.sinch_credentials import SinchCredentials
from smschannel.constructs.sinch_mms_credentials import SinchMmsCredentials
from smschannel.constructs.sinch_rcs_credentials import SinchRcsCredentials
from smschannel.constructs.subdomain import Subdomain
from smschannel.constructs.twilio_credentials import TwilioCredentials
from smschannel.constructs.webhook import Webhook
from smschannel.errors import SmschannelError

_previous_hook = sys.excepthook


def _one_line_errors(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if isinstance(exc, SmschannelError):
        print(f"Error: {exc}", file=sys.stderr)
        return
    _previous_hook(kind, exc, tb)


sys.excepthook = _one_line_errors

__all__ = [
    "ChannelConfiguration",
    "CustomCredentials",
    "InfobipCredentials",
    "ModelConstruct",
    "ModelProvider",
    "SinchCredentials",
    "SinchMmsCredentials",
    "SinchRcsCredentials",
    "SmschannelProvider",
    "Subdomain",
    "TwilioCredentials",
    "Webhook",
]
