"""Entry points of the provider process.

- `main()` (the `terraform-provider-smschannel` executable): Terraform starts it, as for any
  provider, over go-plugin's handshake with TLS (the `tf` package's runner).
- `serve_reattach()` (`python -m smschannel.terraform.main --reattach`): one long-lived process that
  `smschannel plan/apply` starts once per command and hands to Terraform in `TF_REATTACH_PROVIDERS`,
  so a plan pays for one provider start instead of three. It serves on a private Unix socket.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

WORKERS = 4
"""Threads serving Terraform's calls in reattach mode. Measured on a 500-resource no-change plan
(bench/plan_scale.py): 2 or 4 threads beat both 10 (GIL contention) and an asyncio server (a loop
turn per call); 4 keeps applies to vendors overlapping."""


def _skip_httpx_cli() -> None:
    """httpx imports its command-line client (click, rich, pygments: about 50 ms) whenever those are
    installed, and the smschannel CLI installs them. The provider starts several times per plan and
    never uses it, so it gets an empty module in its place."""
    import types

    sys.modules.setdefault("httpx._main", types.ModuleType("httpx._main"))


def main() -> None:
    _skip_httpx_cli()
    if "--reattach" in sys.argv:
        serve_reattach()
        return
    import tf.provider
    from tf import runner

    from smschannel.terraform.plugin import SmschannelPlugin
    from smschannel.terraform.servicer import SmschannelServicer

    tf.provider.ProviderServicer = SmschannelServicer  # the runner builds its servicer from this name
    runner.run_provider(SmschannelPlugin(), sys.argv)


class _Loading:
    """The provider, imported in a background thread once the socket is served: Terraform starts while
    the models, pydantic and httpx load. The first call that needs the provider waits for it, so the
    import cost (about 0.3 s) overlaps Terraform's own start instead of preceding it."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._provider: Any = None
        self._error: BaseException | None = None

    def load_in_background(self) -> None:
        threading.Thread(target=self._load, name="provider-import", daemon=True).start()

    def _load(self) -> None:
        try:
            from smschannel.terraform.plugin import SmschannelPlugin

            self._provider = SmschannelPlugin()
        except BaseException as exc:  # reported on the first call, where Terraform shows it
            self._error = exc
        finally:
            self._ready.set()

    def __getattr__(self, name: str) -> Any:
        self._ready.wait()
        if self._error is not None:
            raise self._error
        return getattr(self._provider, name)


def serve_reattach() -> None:
    """Serve on a private Unix socket until SIGTERM/SIGINT or a GRPCController Shutdown."""
    from concurrent import futures

    import grpc
    from tf.gen import grpc_controller_pb2 as controller_pb
    from tf.gen import grpc_controller_pb2_grpc as controller_rpc
    from tf.gen import tfplugin_pb2_grpc as rpc

    from smschannel.terraform import ADDRESS
    from smschannel.terraform.servicer import SmschannelServicer

    stop = threading.Event()
    provider = _Loading()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=WORKERS))
    rpc.add_ProviderServicer_to_server(SmschannelServicer(provider), server)

    class Controller(controller_rpc.GRPCControllerServicer):  # type: ignore[misc]
        def Shutdown(self, request: Any, context: Any) -> Any:
            stop.set()
            return controller_pb.Empty()

    controller_rpc.add_GRPCControllerServicer_to_server(Controller(), server)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with tempfile.TemporaryDirectory(prefix="smschannel-provider-") as tmp:
        socket_path = Path(tmp) / "provider.sock"
        server.add_insecure_port(f"unix://{socket_path}")
        server.start()
        reattach = {ADDRESS: {"Protocol": "grpc", "ProtocolVersion": 6, "Pid": os.getpid(), "Test": True,
                              "Addr": {"Network": "unix", "String": str(socket_path)}}}
        print(json.dumps(reattach), flush=True)
        provider.load_in_background()
        stop.wait()
        server.stop(grace=1).wait()


if __name__ == "__main__":
    main()
