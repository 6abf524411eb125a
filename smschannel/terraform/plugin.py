"""The smschannel Terraform provider ("the smschannel provider" to Terraform users): its block, its
resource types (every registered model), its per-run context."""

from __future__ import annotations

from typing import Any

from tf.iface import DataSource, Provider, Resource
from tf.schema import Schema
from tf.utils import Diagnostics

from smschannel.model import RESOURCES
from smschannel.model.base import check
from smschannel.model.provider_config import ProviderConfigModel
from smschannel.providers import load_extensions
from smschannel.terraform import ADDRESS
from smschannel.terraform.context import ProviderContext, ProviderSettings
from smschannel.terraform.hooks import hooks_for
from smschannel.terraform.resource import is_unknown, resource_class
from smschannel.terraform.schema import tf_schema


class SmschannelPlugin(Provider):  # type: ignore[misc]
    def __init__(self) -> None:
        load_extensions()
        self.context = ProviderContext(ProviderSettings.resolve({}))
        self.resources: list[type[Resource]] = [resource_class(m, hooks_for(m)) for m in RESOURCES]

    def get_model_prefix(self) -> str:
        return "smschannel_"

    def full_name(self) -> str:
        return ADDRESS

    def get_provider_schema(self, diags: Diagnostics) -> Schema:
        return tf_schema(ProviderConfigModel, provider_block=True)

    def validate_config(self, diags: Diagnostics, config: dict[str, Any]) -> None:
        for problem in check(ProviderConfigModel, config, is_unknown=is_unknown):
            diags.add_error(f"Invalid {problem.attribute}", problem.line('provider "smschannel"'),
                            path=[problem.attribute])

    def configure_provider(self, diags: Diagnostics, config: dict[str, Any]) -> None:
        settings = ProviderSettings.resolve(config)
        if not settings.endpoint:
            diags.add_error(
                "Missing registry endpoint",
                'provider "smschannel": endpoint is required: set it in the provider block or in '
                "SMSCHANNEL_ENDPOINT",
                path=["endpoint"],
            )
        self.context = ProviderContext(settings)

    def get_data_sources(self) -> list[type[DataSource]]:
        return []

    def get_resources(self) -> list[type[Resource]]:
        return self.resources


__all__ = ["SmschannelPlugin"]
