"""Channel configurations: the credentials must exist and carry the channel (and the registration its
countries need), the subdomain must be in `success`; then the vendor is asked about the sender and the
configuration becomes active or failed, or, while `enabled` is false, deactivated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smschannel.errors import VendorError
from smschannel.model import SubdomainModel
from smschannel.model.references import channel_problem, missing_credentials, registration_problem
from smschannel.providers import provider_for
from smschannel.registry import storage
from smschannel.registry.kinds.base import Context, Handler, Refused, Saved

DISABLED = "enabled is false: the configuration cannot be used to send until enabled is true again"


class ConfigurationHandler(Handler):
    def prepare(self, ctx: Context, values: dict[str, Any], secrets: Mapping[str, str],
                previous: storage.ObjectRow | None) -> Saved:
        saved = super().prepare(ctx, values, secrets, previous)
        where = ctx.model.address(values)
        found = ctx.credentials(values["credentials_id"])
        if found is None:
            raise Refused.problem(ctx.model, values, missing_credentials(values["credentials_id"], ctx.sandbox))
        cred_model, cred = found
        cannot = channel_problem(cred_model, values["channel"]) or registration_problem(cred_model, cred.attributes,
                                                                                         values)
        if cannot is not None:
            raise Refused.problem(ctx.model, values, cannot)
        if values.get("subdomain_id"):
            sub = storage.get_object(ctx.session, "*", SubdomainModel.stem(), values["subdomain_id"])
            if sub is None:
                raise Refused(422, f"{where}: subdomain_id: no SMS subdomain with id {values['subdomain_id']}")
            if sub.attributes.get("status") != "success":
                state, reason = sub.attributes.get("status"), sub.attributes.get("status_reason")
                raise Refused(422, f"{where}: subdomain_id: SMS subdomain {sub.attributes.get('fqdn')} is {state}, "
                                   f"not success: {reason}")
        if values.get("enabled") is False:
            saved.attributes.update({"status": "deactivated", "status_reason": DISABLED})
            return saved
        try:
            reason = provider_for(cred_model).check_sender(ctx.opened(cred_model, cred), values["sender_number"],
                                                           channel=values["channel"])
        except VendorError as exc:
            reason = f"{cred_model.title} check failed: {exc}"
        saved.attributes.update({"status": "failed", "status_reason": reason} if reason
                                else {"status": "active", "status_reason": ""})
        return saved


__all__ = ["DISABLED", "ConfigurationHandler"]
