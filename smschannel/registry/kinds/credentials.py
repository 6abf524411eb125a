"""Credentials: the verify-connection step when created or when a secret or the endpoint changes;
configurations on deleted credentials are deactivated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smschannel.errors import VendorError
from smschannel.model import ConfigurationModel, CredentialsModel
from smschannel.providers import Credentials, provider_for
from smschannel.providers.checks import inbound_number_problem
from smschannel.registry import storage
from smschannel.registry.kinds.base import Context, Handler, Refused, Saved, now_text


class CredentialsHandler(Handler):
    def prepare(self, ctx: Context, values: dict[str, Any], secrets: Mapping[str, str],
                previous: storage.ObjectRow | None) -> Saved:
        model = ctx.model
        assert issubclass(model, CredentialsModel)
        saved = super().prepare(ctx, values, secrets, previous)
        old = previous.attributes if previous else None
        watched = model.verification_inputs()
        opened = Credentials(model, saved.attributes, secrets, ctx.services.settings.vendors)
        verify = old is None or any(saved.attributes.get(k) != old.get(k) for k in watched)
        if verify:
            try:
                provider_for(model).verify(opened)
            except VendorError as exc:
                raise Refused(422, f"{model.address(values)}: verify connection failed: {exc}") from exc
            except ValueError as exc:  # settings the provider's client cannot be built from
                raise Refused(422, f"{model.address(values)}: {exc}") from exc
            saved.attributes["verified_at"] = now_text()
        else:
            saved.attributes["verified_at"] = old.get("verified_at") if old else None
        if verify or saved.attributes.get("inbound_number") != (old or {}).get("inbound_number"):
            try:
                wrong = inbound_number_problem(opened)
            except VendorError as exc:
                raise Refused(422, f"{model.address(values)}: inbound_number: cannot check it: {exc}") from exc
            if wrong is not None:
                raise Refused.problem(model, values, wrong)
        return saved

    def deleting(self, ctx: Context, row: storage.ObjectRow) -> None:
        for config in storage.list_objects(ctx.session, ctx.sandbox, ConfigurationModel.stem()):
            if config.attributes.get("credentials_id") == row.id:
                config.attributes = {**config.attributes, "status": "deactivated",
                                     "status_reason": f"its credentials {row.id} were deleted"}


__all__ = ["CredentialsHandler"]
