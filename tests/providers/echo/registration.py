"""The one line that makes Echo SMS known to smschannel (importing this module registers it)."""

from __future__ import annotations

from smschannel.model import register
from tests.providers.echo.model import EchoCredentialsModel

register(EchoCredentialsModel)
