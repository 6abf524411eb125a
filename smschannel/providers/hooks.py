"""What each resource type adds to the generic plan and apply: the checks that need the registry or
a vendor. Hooks see one planned change and report through diagnostics; they never raise."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tf.types import Unknown
from tf.utils import Diagnostics

from smschannel.errors import SmschannelError, VendorError
from smschannel.model.base import ResourceModel, secret_fields
from smschannel.providers.context import ProviderContext


@dataclass
class PlanChange:
    ctx: ProviderContext
    model: type[ResourceModel]
    diags: Diagnostics
    prior: dict[str, Any] | None
    planned: dict[str, Any]

    @property
    def where(self) -> str:
        name = self.planned.get("name")
        return f'{self.model.type_name} "{name}"' if isinstance(name, str) else self.model.type_name

    def changed(self, *names: str) -> bool:
        return self.prior is None or any(self.prior.get(n) != self.planned.get(n) for n in names)


class Hooks:
    """No extra checks: the model's rules and the scope check are enough."""

    def plan(self, change: PlanChange) -> None:
        return None

    def applied(self, ctx: ProviderContext, model: type[ResourceModel], diags: Diagnostics,
                obj: Mapping[str, Any]) -> None:
        return None


class CredentialsHooks(Hooks):
    """Verify the connection at plan time when the secret is known and it (or the account) changed,
    so a wrong token fails the pull request's plan, not the apply."""

    def plan(self, change: PlanChange) -> None:
        model: Any = change.model
        fields = secret_fields(model)
        watched = (*model.verified_fields, *(f"{f}_fingerprint" for f in fields))
        if not change.changed(*watched) or any(change.planned.get(n) is Unknown for n in watched):
            return
        secrets = {}
        for field in fields:
            env = change.planned.get(f"{field}_env")
            secret = change.planned.get(field) or (os.environ.get(env) if env else None)
            if not secret:
                return
            secrets[field] = secret
        key = ("verified", model.vendor, tuple(change.planned.get(n) for n in watched))
        try:
            change.ctx.memo(key, lambda: _verify(model.vendor, change.planned, secrets, change.ctx))
        except VendorError as exc:
            attribute = f"{fields[0]}_env" if change.planned.get(f"{fields[0]}_env") else fields[0]
            change.diags.add_error(f"{model.title}: verify connection failed",
                                   f"{change.where}: {exc}", path=[attribute])


def _verify(vendor: str, planned: Mapping[str, Any], secrets: Mapping[str, str], ctx: ProviderContext) -> bool:
    from smschannel.vendor_checks import verify_credentials

    verify_credentials(vendor, planned, secrets, ctx.settings.vendors)
    return True


class ConfigurationHooks(Hooks):
    """The credentials must exist in the sandbox and be able to carry the channel; after apply, a
    configuration that did not become active is reported with its reason."""

    def plan(self, change: PlanChange) -> None:
        from smschannel.model import RESOURCES, CredentialsModel

        cred_id, channel = change.planned.get("credentials_id"), change.planned.get("channel")
        if not isinstance(cred_id, str) or not isinstance(channel, str):
            return  # not known yet (made in the same apply): the registry checks it then
        try:
            for model in RESOURCES:
                if issubclass(model, CredentialsModel) and cred_id in change.ctx.objects(model.stem()):
                    if channel not in model.channels:
                        change.diags.add_error(
                            "Credentials cannot carry the channel",
                            f"{change.where}: credentials_id: {model.title} cannot carry the {channel} channel",
                            path=["credentials_id"],
                        )
                    return
        except SmschannelError as exc:
            change.diags.add_error("Cannot reach the smschannel registry", f"{change.where}: {exc}")
            return
        change.diags.add_error(
            "Unknown credentials",
            f"{change.where}: credentials_id: no credentials with id {cred_id} in sandbox "
            f"{change.ctx.settings.sandbox}",
            path=["credentials_id"],
        )

    def applied(self, ctx: ProviderContext, model: type[ResourceModel], diags: Diagnostics,
                obj: Mapping[str, Any]) -> None:
        if obj.get("status") not in ("active", "processing"):
            diags.add_warning(
                f"Channel configuration is {obj.get('status')}",
                f'{model.type_name} "{obj.get("name")}": {obj.get("status_reason") or "no reason given"}',
            )


__all__ = ["ConfigurationHooks", "CredentialsHooks", "Hooks", "PlanChange"]
