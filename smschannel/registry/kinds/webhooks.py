"""Webhooks: the URL vendors call (with an unguessable token), and the vendor wiring that points the
vendor at it on create and puts back the previous setting on delete."""

from __future__ import annotations

import secrets as tokens
from collections.abc import Mapping
from typing import Any

from smschannel.errors import VendorError
from smschannel.model import CREDENTIALS, CredentialsModel
from smschannel.registry import storage
from smschannel.registry.kinds.base import Context, Handler, Refused, Saved, address
from smschannel.vendor_wiring import unwire, wire

WIRED_BY = ("sender_number", "credentials_id", "type", "url")


def credentials_of(ctx: Context, credentials_id: str) -> tuple[type[CredentialsModel], storage.ObjectRow] | None:
    row = storage.find_any(ctx.session, ctx.sandbox, credentials_id)
    model = next((m for m in CREDENTIALS if row is not None and m.stem() == row.kind), None)
    return (model, row) if model is not None and row is not None else None


class WebhookHandler(Handler):
    def prepare(self, ctx: Context, values: dict[str, Any], secrets: Mapping[str, str],
                previous: storage.ObjectRow | None) -> Saved:
        saved = super().prepare(ctx, values, secrets, previous)
        attrs = saved.attributes
        where = address(ctx.model, values["name"])
        found = credentials_of(ctx, values["credentials_id"])
        if found is None:
            raise Refused(422, f"{where}: credentials_id: no credentials with id {values['credentials_id']} in "
                               f"sandbox {ctx.sandbox}")
        cred_model, cred = found
        if cred_model.vendor != values["vendor"]:
            raise Refused(422, f'{where}: credentials_id: {cred_model.title} belong to vendor {cred_model.vendor}, '
                               f'but vendor = "{values["vendor"]}"')
        token = previous.lookup if previous is not None and previous.lookup else tokens.token_urlsafe(24)
        saved.lookup = token
        attrs["url"] = f"{ctx.services.settings.public_url.rstrip('/')}/{values['type']}/{token}"
        old = previous.attributes if previous else {}
        if previous is None or any(attrs.get(k) != old.get(k) for k in WIRED_BY):
            self._unwire(ctx, previous)
            endpoints = ctx.services.settings.vendors
            try:
                done = wire(values["vendor"], cred_model.stem(), cred.attributes, ctx.services.box.open(cred.sealed),
                            values["sender_number"], attrs["url"], endpoints) if values["type"] == "inbound" \
                    else None
            except VendorError as exc:
                raise Refused(422, f"{where}: sender_number: cannot point {cred_model.title} at this webhook: "
                                   f"{exc}") from exc
            if done is None:
                attrs["wired_to"] = "delivery reports: smschannel asks for them on each message it sends"
                saved.internal["wiring"] = {}
            else:
                attrs["wired_to"] = done.description
                saved.internal["wiring"] = {**done.undo, "credentials_id": cred.id} if done.undo else {}
        else:
            attrs["wired_to"] = old.get("wired_to")
        return saved

    def _unwire(self, ctx: Context, row: storage.ObjectRow | None) -> str:
        undo = (row.internal or {}).get("wiring") if row is not None else None
        if not undo:
            return ""
        cred = storage.find_any(ctx.session, ctx.sandbox, undo.get("credentials_id", ""))
        if cred is None:
            return "its credentials are gone, so the vendor setting it replaced was left as it is"
        try:
            return unwire(cred.attributes, ctx.services.box.open(cred.sealed), undo, ctx.services.settings.vendors)
        except VendorError as exc:
            return f"could not restore the vendor setting it replaced: {exc}"

    def deleting(self, ctx: Context, row: storage.ObjectRow) -> None:
        ctx.note = self._unwire(ctx, row)


__all__ = ["WebhookHandler"]
