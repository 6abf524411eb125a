"""Channel configurations: the credentials must exist and carry the channel, the subdomain must be in
`success`; then the vendor is asked about the sender and the configuration becomes active or failed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smschannel.errors import VendorError
from smschannel.model import SubdomainModel
from smschannel.registry import storage
from smschannel.registry.kinds.base import Context, Handler, Refused, Saved, address
from smschannel.registry.kinds.webhooks import credentials_of
from smschannel.registry_carriers import carriers
from smschannel.vendor_checks import check_sender


class ConfigurationHandler(Handler):
    def prepare(self, ctx: Context, values: dict[str, Any], secrets: Mapping[str, str],
                previous: storage.ObjectRow | None) -> Saved:
        saved = super().prepare(ctx, values, secrets, previous)
        where = address(ctx.model, values["name"])
        found = credentials_of(ctx, values["credentials_id"])
        if found is None:
            raise Refused(422, f"{where}: credentials_id: no credentials with id {values['credentials_id']} in "
                               f"sandbox {ctx.sandbox}")
        cred_model, cred = found
        channel = values["channel"]
        if channel not in cred_model.channels:
            raise Refused(422, f"{where}: credentials_id: {cred_model.title} cannot carry the {channel} channel "
                               f"({carriers(channel)})")
        if values.get("subdomain_id"):
            sub = storage.get_object(ctx.session, "*", SubdomainModel.stem(), values["subdomain_id"])
            if sub is None:
                raise Refused(422, f"{where}: subdomain_id: no SMS subdomain with id {values['subdomain_id']}")
            if sub.attributes.get("status") != "success":
                state, reason = sub.attributes.get("status"), sub.attributes.get("status_reason")
                raise Refused(422, f"{where}: subdomain_id: SMS subdomain {sub.attributes.get('fqdn')} is {state}, "
                                   f"not success: {reason}")
        try:
            reason = check_sender(cred_model.vendor, cred.attributes, ctx.services.box.open(cred.sealed),
                                  values["sender_number"], ctx.services.settings.vendors, kind=cred_model.stem())
        except VendorError as exc:
            reason = f"{cred_model.title} check failed: {exc}"
        saved.attributes.update({"status": "failed", "status_reason": reason} if reason
                                else {"status": "active", "status_reason": ""})
        return saved


__all__ = ["ConfigurationHandler"]
