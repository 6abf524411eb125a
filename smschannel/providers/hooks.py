"""What each resource type adds to the generic plan and apply: the checks that need the registry or
a vendor, and the warnings a person should read. Hooks see one planned change and report through
diagnostics; they never raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tf.types import Unknown
from tf.utils import Diagnostics

from smschannel.errors import SmschannelError, VendorError
from smschannel.model.base import ResourceModel, secret_fields
from smschannel.model.secrets import SecretRef
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
        name = self.planned.get("name") or self.planned.get("fqdn")
        return f'{self.model.type_name} "{name}"' if isinstance(name, str) else self.model.type_name

    def changed(self, *names: str) -> bool:
        return self.prior is None or any(self.prior.get(n) != self.planned.get(n) for n in names)

    def credentials(self, credentials_id: str) -> tuple[Any, dict[str, Any]] | None:
        """The credentials model and object an ID names (None when there is none). The ID's prefix
        says its type, so this costs at most the one list of that type."""
        from smschannel.model import CREDENTIALS

        for model in CREDENTIALS:
            if credentials_id.startswith(f"{model.id_prefix}_"):
                found = self.ctx.lookup(model.stem(), credentials_id)
                return (model, found) if found is not None else None
        return None


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
        watched = model.verification_inputs()
        if not change.changed(*watched) or any(change.planned.get(n) is Unknown for n in watched):
            return
        secrets = {}
        for field in fields:
            secret, _ = SecretRef.of(change.planned, field).read()
            if secret:
                secrets[field] = secret
        if any(s.field not in secrets for s in _required_secrets(model)):
            return
        key = ("verified", model.stem(), tuple(change.planned.get(n) for n in watched))
        try:
            change.ctx.memo(key, lambda: _verify(model, change.planned, secrets, change.ctx))
        except VendorError as exc:
            attribute = f"{fields[0]}_env" if change.planned.get(f"{fields[0]}_env") else fields[0]
            change.diags.add_error(f"{model.title}: verify connection failed",
                                   f"{change.where}: {exc}", path=[attribute])


def _required_secrets(model: Any) -> list[Any]:
    from smschannel.model.base import attribute_specs

    return [s for s in attribute_specs(model) if s.role == "secret_value" and s.secret_required]


def _verify(model: Any, planned: Mapping[str, Any], secrets: Mapping[str, str], ctx: ProviderContext) -> bool:
    from smschannel.vendor_checks import verify_credentials

    verify_credentials(model.vendor, planned, secrets, ctx.settings.vendors, kind=model.stem())
    return True


class WebhookHooks(Hooks):
    """The credentials must be the webhook's vendor's; where the vendor has no API to point it at the
    webhook, the plan says what to paste where."""

    def plan(self, change: PlanChange) -> None:
        from smschannel.vendor_wiring import MANUAL

        vendor, cred_id = change.planned.get("vendor"), change.planned.get("credentials_id")
        if isinstance(cred_id, str) and isinstance(vendor, str):
            try:
                found = change.credentials(cred_id)
            except SmschannelError as exc:
                change.diags.add_error("Cannot reach the smschannel registry", f"{change.where}: {exc}")
                return
            if found is None:
                change.diags.add_error("Unknown credentials", f"{change.where}: credentials_id: no credentials "
                                       f"with id {cred_id} in sandbox {change.ctx.settings.sandbox}",
                                       path=["credentials_id"])
                return
            if found[0].vendor != vendor:
                change.diags.add_error(
                    "Credentials of another vendor",
                    f'{change.where}: credentials_id: {found[0].title} belong to vendor {found[0].vendor}, but '
                    f'vendor = "{vendor}"', path=["credentials_id"])
                return
        if vendor in MANUAL and change.planned.get("type") == "inbound" and change.prior is None:
            change.diags.add_warning(
                "Webhook URL to set by hand",
                f"{change.where}: {vendor} has no API for it: after apply, paste this webhook's url into "
                f"{MANUAL[vendor]} (apply prints it, and it is the url attribute)")

    def applied(self, ctx: ProviderContext, model: type[ResourceModel], diags: Diagnostics,
                obj: Mapping[str, Any]) -> None:
        wired = str(obj.get("wired_to") or "")
        if wired.startswith("set by hand"):
            diags.add_warning("Paste the webhook URL", f'{model.type_name} "{obj.get("name")}": {wired}')


class SubdomainHooks(Hooks):
    def applied(self, ctx: ProviderContext, model: type[ResourceModel], diags: Diagnostics,
                obj: Mapping[str, Any]) -> None:
        if obj.get("status") != "success":
            diags.add_warning(f"SMS subdomain is {obj.get('status')}",
                              f'{model.type_name} "{obj.get("fqdn")}": {obj.get("status_reason")}')


class ConfigurationHooks(Hooks):
    """The credentials must exist in the sandbox and be able to carry the channel; an alphanumeric
    sender on credentials with an inbound webhook gets a warning; after apply, a configuration that
    did not become active is reported with its reason."""

    def plan(self, change: PlanChange) -> None:
        from smschannel.model.types import is_alphanumeric_sender

        cred_id, channel = change.planned.get("credentials_id"), change.planned.get("channel")
        if not isinstance(cred_id, str) or not isinstance(channel, str):
            return  # not known yet (made in the same apply): the registry checks it then
        try:
            found = change.credentials(cred_id)
            webhooks = change.ctx.objects("webhook")
        except SmschannelError as exc:
            change.diags.add_error("Cannot reach the smschannel registry", f"{change.where}: {exc}")
            return
        if found is None:
            change.diags.add_error(
                "Unknown credentials",
                f"{change.where}: credentials_id: no credentials with id {cred_id} in sandbox "
                f"{change.ctx.settings.sandbox}", path=["credentials_id"])
            return
        model = found[0]
        if channel not in model.channels:
            from smschannel.registry_carriers import carriers

            change.diags.add_error(
                "Credentials cannot carry the channel",
                f"{change.where}: credentials_id: {model.title} cannot carry the {channel} channel "
                f"({carriers(channel)})", path=["credentials_id"])
            return
        sender = change.planned.get("sender_number")
        inbound = [w for w in webhooks.values() if w.get("credentials_id") == cred_id and w.get("type") == "inbound"]
        if isinstance(sender, str) and is_alphanumeric_sender(sender) and inbound:
            change.diags.add_warning(
                "Alphanumeric sender cannot receive replies",
                f"{change.where}: sender_number {sender} is alphanumeric, so people cannot answer STOP to it, "
                f"although webhook \"{inbound[0].get('name')}\" applies keyword rules for these credentials: "
                "give people another way to opt out (e.g. a number or a link in the message)",
                path=["sender_number"])

    def applied(self, ctx: ProviderContext, model: type[ResourceModel], diags: Diagnostics,
                obj: Mapping[str, Any]) -> None:
        if obj.get("status") not in ("active", "processing"):
            diags.add_warning(
                f"Channel configuration is {obj.get('status')}",
                f'{model.type_name} "{obj.get("name")}": {obj.get("status_reason") or "no reason given"}',
            )


__all__ = ["ConfigurationHooks", "CredentialsHooks", "Hooks", "PlanChange", "SubdomainHooks", "WebhookHooks"]
