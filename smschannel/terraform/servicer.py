"""The gRPC servicer: the `tf` package's, with PlanResourceChange planned by our resources from the
configuration itself (so a removed attribute returns to its default, creates are checked like
updates, and destroys are checked for the delete permission)."""

from __future__ import annotations

from typing import Any

import grpc
import msgpack
from tf.gen import tfplugin_pb2 as pb
from tf.provider import ProviderServicer
from tf.utils import Diagnostics, read_dynamic_value, to_dynamic_value

_NULL = pb.DynamicValue(msgpack=msgpack.packb(None))


class SmschannelServicer(ProviderServicer):  # type: ignore[misc]
    def GetProviderSchema(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = super().GetProviderSchema(request, context)
        # Terraform reads capabilities from here too: plan_destroy makes it plan destroys with us,
        # so a token that may not delete fails the plan, not the apply.
        response.server_capabilities.plan_destroy = True
        return response

    def PlanResourceChange(self, request: Any, context: grpc.ServicerContext) -> Any:
        diags = Diagnostics()
        resource = self.app.new_resource(self._get_res_cls(request.type_name))
        prior = read_dynamic_value(request.prior_state)
        config = read_dynamic_value(request.config)
        planned, replace = resource.plan_change(diags, prior, config)
        return pb.PlanResourceChange.Response(
            planned_state=_NULL if planned is None else to_dynamic_value(planned),
            requires_replace=[pb.AttributePath(steps=[pb.AttributePath.Step(attribute_name=n)]) for n in replace],
            diagnostics=diags.to_pb(),
        )


__all__ = ["SmschannelServicer"]
