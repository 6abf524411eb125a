"""Channel settings: one object per sandbox, found by the sandbox's name. Until declared (and again
after delete) the sandbox holds the model's defaults, answered by a stand-in that is stored only when
it is first written."""

from __future__ import annotations

from smschannel.model.base import defaults
from smschannel.registry import storage
from smschannel.registry.kinds.base import Context, Handler


class ChannelSettingsHandler(Handler):
    def find(self, ctx: Context, object_id: str) -> storage.ObjectRow | None:
        if object_id != ctx.sandbox:
            return None
        stored = storage.find_by_name(ctx.session, ctx.sandbox, ctx.model.stem(), ctx.sandbox)
        return stored if stored is not None else self.stand_in(ctx)

    def stand_in(self, ctx: Context) -> storage.ObjectRow:
        """The sandbox's settings while undeclared: the defaults, not stored (an update stores them)."""
        now = storage.utcnow()
        return storage.ObjectRow(id=storage.new_id(ctx.model.id_prefix), sandbox=ctx.sandbox, kind=ctx.model.stem(),
                                 name=ctx.sandbox, attributes=defaults(ctx.model), lookup=None, internal={},
                                 sealed=None, created_at=now, updated_at=now)

    def listed(self, ctx: Context, rows: list[storage.ObjectRow]) -> list[storage.ObjectRow]:
        return rows or [self.stand_in(ctx)]

    def taken(self, ctx: Context, existing: storage.ObjectRow) -> str:
        return (f"{ctx.model.type_name}: the {ctx.model.title} of sandbox {ctx.sandbox} are already declared; "
                f"import them (the import ID is the sandbox's name: {ctx.sandbox}) instead of declaring them twice")


__all__ = ["ChannelSettingsHandler"]
