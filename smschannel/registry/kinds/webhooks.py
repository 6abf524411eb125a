"""Webhooks: the URL vendors call (with an unguessable token), and the vendor wiring that points the
vendor at it on create and puts back the previous setting on delete."""

from __future__ import annotations

import secrets as tokens
from collections.abc import Mapping
from typing import Any

from smschannel.errors import VendorError
from smschannel.model.references import media_problem, missing_credentials, vendor_problem
from smschannel.providers import provider_for
from smschannel.registry import storage
from smschannel.registry.kinds.base import Context, Handler, Refused, Saved

WIRED_BY = ("sender_number", "credentials_id", "type", "url")


class WebhookHandler(Handler):
    def prepare(self, ctx: Context, values: dict[str, Any], secrets: Mapping[str, str],
                previous: storage.ObjectRow | None) -> Saved:
        saved = super().prepare(ctx, values, secrets, previous)
        attrs = saved.attributes
        where = ctx.model.address(values)
        found = ctx.credentials(values["credentials_id"])
        if found is None:
            raise Refused.problem(ctx.model, values, missing_credentials(values["credentials_id"], ctx.sandbox))
        cred_model, cred = found
        mismatch = vendor_problem(cred_model, values["vendor"]) or media_problem(cred_model, values)
        if mismatch is not None:
            raise Refused.problem(ctx.model, values, mismatch)
        token = previous.lookup if previous is not None and previous.lookup else tokens.token_urlsafe(24)
        saved.lookup = token
        attrs["url"] = f"{ctx.services.settings.public_url.rstrip('/')}/{values['type']}/{token}"
        old = previous.attributes if previous else {}
        if previous is None or any(attrs.get(k) != old.get(k) for k in WIRED_BY):
            self._unwire(ctx, previous)
            if values["type"] != "inbound":
                attrs["wired_to"] = "delivery reports: smschannel asks for them on each message it sends"
                saved.internal["wiring"] = {}
                return saved
            try:
                done = provider_for(cred_model).wire(ctx.opened(cred_model, cred), sender=values["sender_number"],
                                                     url=attrs["url"])
            except VendorError as exc:
                raise Refused(422, f"{where}: sender_number: cannot point {cred_model.title} at this webhook: "
                                   f"{exc}") from exc
            attrs["wired_to"] = done.description
            saved.internal["wiring"] = {**done.undo, "credentials_id": cred.id} if done.undo else {}
        else:
            attrs["wired_to"] = old.get("wired_to")
        return saved

    def _unwire(self, ctx: Context, row: storage.ObjectRow | None) -> str:
        undo = (row.internal or {}).get("wiring") if row is not None else None
        if not undo:
            return ""
        found = ctx.credentials(undo.get("credentials_id", ""))
        if found is None:
            return "its credentials are gone, so the vendor setting it replaced was left as it is"
        cred_model, cred = found
        try:
            return provider_for(cred_model).unwire(ctx.opened(cred_model, cred), undo)
        except VendorError as exc:
            return f"could not restore the vendor setting it replaced: {exc}"

    def deleting(self, ctx: Context, row: storage.ObjectRow) -> None:
        ctx.note = self._unwire(ctx, row)


__all__ = ["WebhookHandler"]
