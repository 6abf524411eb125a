"""`smschannel_echo_credentials`: an Echo SMS account."""

from __future__ import annotations

from typing import ClassVar

from smschannel.model.credentials import CredentialsModel
from smschannel.model.fields import attr, secret
from smschannel.model.secrets import SecretRef
from smschannel.model.types import HttpsUrl


class EchoCredentialsModel(CredentialsModel):
    """The API key of an Echo SMS account. Checked against Echo (the account is read) when created and
    whenever the key or the address changes."""

    type_name: ClassVar[str] = "smschannel_echo_credentials"
    title: ClassVar[str] = "Echo credentials"
    vendor: ClassVar[str] = "echo"
    provider: ClassVar[str] = "tests.providers.echo.provider"
    id_prefix: ClassVar[str] = "echocred"
    verified_fields: ClassVar[tuple[str, ...]] = ("base_url",)

    base_url: HttpsUrl = attr("The Echo API's address.", example="https://api.echo.example")
    api_key: SecretRef | None = secret("The Echo API key; it also signs Echo's webhook requests.",
                                       example_env="ECHO_API_KEY")


__all__ = ["EchoCredentialsModel"]
