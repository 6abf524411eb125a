"""What each resource type adds to the generic plan and apply: the checks that need the registry or
a vendor, and the warnings a person should read. Hooks see one planned change and report through
diagnostics; they never raise. `hooks_for` finds a model's hooks in one table (by the model's class,
or the nearest base class listed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tf.types import Unknown
from tf.utils import Diagnostics

from smschannel.errors import Problem, SmschannelError, VendorError
from smschannel.model import (
    ChannelSettingsModel,
    ConfigurationModel,
    CredentialsModel,
    SubdomainModel,
    WebhookModel,
    credentials_for_id,
)
from smschannel.model.base import ResourceModel, attribute_specs, defaults, secret_fields
from smschannel.model.countries import registration_notes
from smschannel.model.references import (
    channel_problem,
    media_problem,
    missing_credentials,
    registered_countries,
    registration_problem,
    vendor_problem,
)
from smschannel.model.secrets import SecretRef
from smschannel.terraform.context import ProviderContext


@dataclass
class PlanChange:
    ctx: ProviderContext
    model: type[ResourceModel]
    diags: Diagnostics
    prior: dict[str, Any] | None
    planned: dict[str, Any]

    @property
    def where(self) -> str:
        return self.model.address(self.planned)

    def changed(self, *names: str) -> bool:
        return self.prior is None or any(self.prior.get(n) != self.planned.get(n) for n in names)

    def credentials(self, credentials_id: str) -> tuple[type[CredentialsModel], dict[str, Any]] | None:
        """The credentials model and object an ID names (None when there is none). The ID's prefix
        says its type, so this costs at most the one list of that type."""
        model = credentials_for_id(credentials_id)
        found = self.ctx.lookup(model.stem(), credentials_id) if model is not None else None
        return (model, found) if model is not None and found is not None else None

    def refuse(self, summary: str, problem: Problem) -> None:
        """Report a broken rule about this change, pointing at the attribute it concerns."""
        self.diags.add_error(summary, problem.line(self.where), path=problem.attribute.split("."))

    def referred_credentials(self) -> type[CredentialsModel] | None:
        """The type of the credentials `credentials_id` names; None (with the error reported) when the ID
        names none in the sandbox, or when it is not known yet (made in the same apply: the registry
        checks it then)."""
        cred_id = self.planned.get("credentials_id")
        if not isinstance(cred_id, str):
            return None
        try:
            found = self.credentials(cred_id)
        except SmschannelError as exc:
            self.diags.add_error("Cannot reach the smschannel registry", f"{self.where}: {exc}")
            return None
        if found is None:
            self.refuse("Unknown credentials", missing_credentials(cred_id, self.ctx.settings.sandbox))
            return None
        return found[0]


class Hooks:
    """No extra checks: the model's rules and the scope check are enough."""

    def plan(self, change: PlanChange) -> None:
        return None

    def applied(self, ctx: ProviderContext, model: type[ResourceModel], diags: Diagnostics,
                obj: Mapping[str, Any]) -> None:
        return None


class CredentialsHooks(Hooks):
    """Verify the connection at plan time when the secret is known and it (or the account) changed,
    so a wrong token fails the pull request's plan, not the apply; and check the `inbound_number` belongs
    to the account, where the vendor can tell."""

    def plan(self, change: PlanChange) -> None:
        model = change.model
        assert issubclass(model, CredentialsModel)
        fields = secret_fields(model)
        watched = model.verification_inputs()
        asked = (*watched, "inbound_number") if "inbound_number" in model.model_fields else watched
        if not change.changed(*asked) or any(change.planned.get(n) is Unknown for n in asked):
            return
        secrets = {}
        for field in fields:
            secret, _ = SecretRef.of(change.planned, field).read()
            if secret:
                secrets[field] = secret
        required = [s.field for s in attribute_specs(model) if s.role == "secret_value" and s.secret_required]
        if any(field not in secrets for field in required):
            return
        key = ("verified", model.stem(), tuple(change.planned.get(n) for n in watched))
        try:
            change.ctx.memo(key, lambda: _verify(model, change.planned, secrets, change.ctx))
        except VendorError as exc:
            attribute = f"{fields[0]}_env" if change.planned.get(f"{fields[0]}_env") else fields[0]
            change.diags.add_error(f"{model.title}: verify connection failed",
                                   f"{change.where}: {exc}", path=[attribute])
            return
        if change.changed("inbound_number") or change.changed(*watched):
            _check_inbound_number(change, model, secrets)


def _check_inbound_number(change: PlanChange, model: type[CredentialsModel], secrets: Mapping[str, str]) -> None:
    from smschannel.providers import Credentials
    from smschannel.providers.checks import inbound_number_problem

    try:
        wrong = inbound_number_problem(Credentials(model, change.planned, secrets, change.ctx.settings.vendors))
    except VendorError as exc:
        change.diags.add_warning("Cannot check the inbound number", f"{change.where}: inbound_number: {exc}; the "
                                                                   "registry checks it again when it saves them")
        return
    if wrong is not None:
        change.refuse("Inbound number not of the account", wrong)


def _verify(model: type[CredentialsModel], planned: Mapping[str, Any], secrets: Mapping[str, str],
            ctx: ProviderContext) -> bool:
    from smschannel.providers import Credentials, provider_for

    provider_for(model).verify(Credentials(model, planned, secrets, ctx.settings.vendors))
    return True


class WebhookHooks(Hooks):
    """The credentials must be the webhook's vendor's; where the vendor has no API to point it at the
    webhook, the plan says what to paste where."""

    def plan(self, change: PlanChange) -> None:
        from smschannel.providers import provider_for_vendor

        vendor = change.planned.get("vendor")
        if not isinstance(vendor, str):
            return
        cred_model = change.referred_credentials()
        if isinstance(change.planned.get("credentials_id"), str) and cred_model is None:
            return
        mismatch = vendor_problem(cred_model, vendor) if cred_model is not None else None
        if mismatch is not None:
            change.refuse("Credentials of another vendor", mismatch)
            return
        no_media = media_problem(cred_model, change.planned) if cred_model is not None else None
        if no_media is not None:
            change.refuse("Reply media the credentials cannot send", no_media)
            return
        paste_into = provider_for_vendor(vendor).manual_wiring
        if paste_into and change.planned.get("type") == "inbound" and change.prior is None:
            change.diags.add_warning(
                "Webhook URL to set by hand",
                f"{change.where}: {vendor} has no API for it: after apply, paste this webhook's url into "
                f"{paste_into} (apply prints it, and it is the url attribute)")

    def applied(self, ctx: ProviderContext, model: type[ResourceModel], diags: Diagnostics,
                obj: Mapping[str, Any]) -> None:
        wired = str(obj.get("wired_to") or "")
        if wired.startswith("set by hand"):
            diags.add_warning("Paste the webhook URL", f"{model.address(obj)}: {wired}")


class SubdomainHooks(Hooks):
    def applied(self, ctx: ProviderContext, model: type[ResourceModel], diags: Diagnostics,
                obj: Mapping[str, Any]) -> None:
        if obj.get("status") != "success":
            diags.add_warning(f"SMS subdomain is {obj.get('status')}",
                              f'{model.type_name} "{obj.get("fqdn")}": {obj.get("status_reason")}')


class ConfigurationHooks(Hooks):
    """The credentials must exist in the sandbox, carry the channel and the registration the `countries`
    need; an alphanumeric sender on credentials with an inbound webhook, or sent where it must be registered
    first, gets a warning; after apply, a configuration that did not become active (and was not disabled on
    purpose) is reported with its reason."""

    def plan(self, change: PlanChange) -> None:
        from smschannel.model.types import is_alphanumeric_sender

        cred_id, channel = change.planned.get("credentials_id"), change.planned.get("channel")
        sender, countries = change.planned.get("sender_number"), change.planned.get("countries")
        found: tuple[type[CredentialsModel], dict[str, Any]] | None = None
        webhooks: dict[str, dict[str, Any]] = {}
        if isinstance(cred_id, str) and isinstance(channel, str):  # else made in the same apply: checked then
            try:
                found = change.credentials(cred_id)
                webhooks = change.ctx.objects("webhook")
            except SmschannelError as exc:
                change.diags.add_error("Cannot reach the smschannel registry", f"{change.where}: {exc}")
                return
            if found is None:
                change.refuse("Unknown credentials", missing_credentials(cred_id, change.ctx.settings.sandbox))
                return
            cannot = channel_problem(found[0], channel)
            if cannot is None and isinstance(countries, list):
                cannot = registration_problem(found[0], found[1], change.planned)
            if cannot is not None:
                change.refuse("Credentials cannot carry the channel" if cannot.attribute == "credentials_id"
                              else "Sender registration missing", cannot)
                return
        if not isinstance(sender, str):
            return
        if found is not None and channel == "mms":
            _check_mms_sender(change, found[0], found[1], sender)
        if isinstance(countries, list):
            registered = registered_countries(*found) if found is not None else []
            for note in registration_notes(sender, countries, registered=registered):
                change.diags.add_warning("Sender ID must be registered", f"{change.where}: sender_number: {note}",
                                         path=["sender_number"])
        inbound = [w for w in webhooks.values() if w.get("credentials_id") == cred_id and w.get("type") == "inbound"]
        if is_alphanumeric_sender(sender) and inbound:
            change.diags.add_warning(
                "Alphanumeric sender cannot receive replies",
                f"{change.where}: sender_number {sender} is alphanumeric, so people cannot answer STOP to it, "
                f"although webhook \"{inbound[0].get('name')}\" applies keyword rules for these credentials: "
                "give people another way to opt out (e.g. a number or a link in the message)",
                path=["sender_number"])

    def applied(self, ctx: ProviderContext, model: type[ResourceModel], diags: Diagnostics,
                obj: Mapping[str, Any]) -> None:
        disabled = obj.get("enabled") is False and obj.get("status") == "deactivated"
        if obj.get("status") not in ("active", "processing") and not disabled:
            diags.add_warning(
                f"Channel configuration is {obj.get('status')}",
                f"{model.address(obj)}: {obj.get('status_reason') or 'no reason given'}",
            )


def _check_mms_sender(change: PlanChange, model: type[CredentialsModel], credentials: Mapping[str, Any],
                      sender: str) -> None:
    """An MMS configuration's sender must be MMS-capable, which the vendor says (Twilio: the number's or the
    messaging service's capabilities; Infobip: the number's). Asked at plan when the credentials' secrets are
    in the environment (their `X_env`), as the credentials' own verify-connection step does; otherwise the
    registry asks when it activates the configuration."""
    from smschannel.providers import Credentials, provider_for

    secrets: dict[str, str] = {}
    for field in secret_fields(model):
        secret, _ = SecretRef.of(credentials, field).read()
        if secret:
            secrets[field] = secret
    required = [s.field for s in attribute_specs(model) if s.role == "secret_value" and s.secret_required]
    if any(field not in secrets for field in required):
        return
    opened = Credentials(model, credentials, secrets, change.ctx.settings.vendors)
    key = ("sender", credentials.get("id"), sender, "mms")
    try:
        reason = change.ctx.memo(key, lambda: provider_for(model).check_sender(opened, sender, channel="mms"))
    except VendorError as exc:
        change.diags.add_warning("Cannot check the sender", f"{change.where}: sender_number: {exc}; the registry "
                                                           "checks it again when it activates the configuration")
        return
    if reason:
        change.diags.add_error("Sender cannot send MMS", f"{change.where}: sender_number: {reason}",
                               path=["sender_number"])


class ChannelSettingsHooks(Hooks):
    """A change of a sandbox default names the configurations that follow it (those that leave the
    attribute unset): their `effective_*` value changes with this apply."""

    def plan(self, change: PlanChange) -> None:
        prior = change.prior or {}
        try:
            configurations = change.ctx.objects(ConfigurationModel.stem())
        except SmschannelError as exc:
            change.diags.add_error("Cannot reach the smschannel registry", f"{change.where}: {exc}")
            return
        for name, rule in ConfigurationModel.inherits.items():
            if rule.settings != change.model.stem():
                continue
            before = prior.get(rule.setting, defaults(change.model).get(rule.setting))
            after = change.planned.get(rule.setting)
            users = sorted(str(c.get("name")) for c in configurations.values() if c.get(rule.attribute) is None)
            if before == after or after is Unknown or not users:
                continue
            change.diags.add_warning(
                "Sandbox default changes",
                f"{change.where} (sandbox {change.ctx.settings.sandbox}): {rule.setting} {before} -> {after}: "
                f"channel configurations {', '.join(users)} leave {rule.attribute} unset and follow it ({name})",
                path=[rule.setting])


HOOKS: dict[type[ResourceModel], Hooks] = {
    CredentialsModel: CredentialsHooks(),
    WebhookModel: WebhookHooks(),
    SubdomainModel: SubdomainHooks(),
    ConfigurationModel: ConfigurationHooks(),
    ChannelSettingsModel: ChannelSettingsHooks(),
}


def hooks_for(model: type[ResourceModel]) -> Hooks:
    """The hooks of a model: those of its class, or of the nearest base class in `HOOKS`."""
    return next((HOOKS[base] for base in model.__mro__ if base in HOOKS), Hooks())


__all__ = [
    "HOOKS",
    "ChannelSettingsHooks",
    "ConfigurationHooks",
    "CredentialsHooks",
    "Hooks",
    "PlanChange",
    "SubdomainHooks",
    "WebhookHooks",
    "hooks_for",
]
