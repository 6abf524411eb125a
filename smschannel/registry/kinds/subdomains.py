"""Subdomains (shared by every sandbox): one FQDN backs one subdomain; delegated ones have their CNAME
published by the registry; `status` follows a real DNS lookup of the CNAME."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smschannel.registry import storage
from smschannel.registry.kinds.base import Context, Handler, Refused, Saved


def cname_value(fqdn: str, target: str) -> str:
    return f"{fqdn.replace('.', '-')}.{target}"


class SubdomainHandler(Handler):
    def prepare(self, ctx: Context, values: dict[str, Any], secrets: Mapping[str, str],
                previous: storage.ObjectRow | None) -> Saved:
        saved = super().prepare(ctx, values, secrets, previous)
        attrs = saved.attributes
        settings = ctx.services.settings
        fqdn = str(attrs["fqdn"])
        where = ctx.model.address(fqdn)
        if values["mode"] == "delegated" and values["parent_domain"] not in settings.delegated_domains:
            delegated = ", ".join(settings.delegated_domains) or "none"
            raise Refused(422, f"{where}: parent_domain: {values['parent_domain']} is not delegated to smschannel "
                               f"(delegated: {delegated})")
        clash = storage.find_by_lookup(ctx.session, f"fqdn:{fqdn}")
        if clash is not None and (previous is None or clash.id != previous.id):
            raise Refused(409, f"{where}: {fqdn} already backs SMS subdomain {clash.id}; one FQDN can back only one")
        saved.lookup = f"fqdn:{fqdn}"
        attrs["cname_name"] = fqdn
        attrs["cname_value"] = cname_value(fqdn, settings.cname_target)
        if values["mode"] == "delegated" and settings.dns_publish is not None:
            settings.dns_publish(attrs["cname_name"], attrs["cname_value"])
        attrs.update(self._status(ctx, attrs))
        return saved

    @staticmethod
    def _status(ctx: Context, attrs: Mapping[str, Any]) -> dict[str, str]:
        from smschannel.dns.check import check_cname

        settings = ctx.services.settings
        nameservers = list(settings.dns_nameservers) if settings.dns_nameservers else None
        found = check_cname(attrs["cname_name"], attrs["cname_value"], nameservers=nameservers, timeout=1.0)
        return {"status": found.status, "status_reason": "" if found.status == "success" else found.reason}

    def refresh(self, ctx: Context, row: storage.ObjectRow) -> None:
        """DNS is the truth: every read looks the CNAME up again (subdomains are few and shared)."""
        fresh = self._status(ctx, row.attributes)
        if any(row.attributes.get(k) != v for k, v in fresh.items()):
            row.attributes = {**row.attributes, **fresh}

    def deleting(self, ctx: Context, row: storage.ObjectRow) -> None:
        users = [r.id for r in ctx.session.query(storage.ObjectRow).filter(storage.ObjectRow.kind == "configuration")
                 if r.attributes.get("subdomain_id") == row.id]
        if users:  # refuse before undoing anything: DNS is not rolled back with the transaction
            raise Refused(409, f"{ctx.model.address(row.attributes.get('fqdn'))}: channel configurations "
                               f"{', '.join(users)} still shorten links with it; delete or change them first")
        settings = ctx.services.settings
        if row.attributes.get("mode") == "delegated" and settings.dns_remove is not None:
            settings.dns_remove(row.attributes["cname_name"])


__all__ = ["SubdomainHandler", "cname_value"]
