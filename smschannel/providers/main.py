"""Entry points of the provider process.

- `main()` (the `terraform-provider-smschannel` executable): Terraform starts it, as for any
  provider, over go-plugin's handshake with TLS (the `tf` package's runner).
- `serve_reattach()` (`python -m smschannel.providers.main --reattach`): one long-lived process that
  `smschannel plan/apply` starts once per command and hands to Terraform in `TF_REATTACH_PROVIDERS`,
  so a plan pays for one provider start instead of three. It serves with grpc's asyncio server on a
  private Unix socket; calls that reach the registry or a vendor run in worker threads.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

# Applies and imports wait on the registry and vendors: they run in threads so they overlap. The rest
# run on the loop: their network calls happen once per run (memoized lists, the fingerprint key, the
# token's grants), and a thread hop per call would cost more than those waits save.
_THREADED = {"ApplyResourceChange", "ImportResourceState"}


def main() -> None:
    if "--reattach" in sys.argv:
        serve_reattach()
        return
    import tf.provider
    from tf import runner

    from smschannel.providers.provider import SmschannelProvider
    from smschannel.providers.servicer import SmschannelServicer

    tf.provider.ProviderServicer = SmschannelServicer  # the runner builds its servicer from this name
    runner.run_provider(SmschannelProvider(), sys.argv)


class _AsyncAdapter:
    """Presents a synchronous servicer's methods as coroutines for grpc.aio."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Callable[[Any, Any], Awaitable[Any]]:
        method = getattr(self._inner, name)
        if name in _THREADED:
            async def threaded(request: Any, context: Any) -> Any:
                return await asyncio.to_thread(method, request, context)

            return threaded

        async def inline(request: Any, context: Any) -> Any:
            return method(request, context)

        return inline


async def _serve(socket_path: Path) -> None:
    import grpc
    from tf.gen import grpc_controller_pb2 as controller_pb
    from tf.gen import grpc_controller_pb2_grpc as controller_rpc
    from tf.gen import tfplugin_pb2_grpc as rpc

    from smschannel.providers.provider import ADDRESS, SmschannelProvider
    from smschannel.providers.servicer import SmschannelServicer

    stop = asyncio.Event()
    server = grpc.aio.server()
    rpc.add_ProviderServicer_to_server(_AsyncAdapter(SmschannelServicer(SmschannelProvider())), server)

    class Controller(controller_rpc.GRPCControllerServicer):  # type: ignore[misc]
        async def Shutdown(self, request: Any, context: Any) -> Any:
            stop.set()
            return controller_pb.Empty()

    controller_rpc.add_GRPCControllerServicer_to_server(Controller(), server)
    server.add_insecure_port(f"unix://{socket_path}")
    await server.start()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    reattach = {
        ADDRESS: {
            "Protocol": "grpc",
            "ProtocolVersion": 6,
            "Pid": os.getpid(),
            "Test": True,
            "Addr": {"Network": "unix", "String": str(socket_path)},
        }
    }
    print(json.dumps(reattach), flush=True)
    await stop.wait()
    await server.stop(grace=1)


def serve_reattach() -> None:
    with tempfile.TemporaryDirectory(prefix="smschannel-provider-") as tmp:
        asyncio.run(_serve(Path(tmp) / "provider.sock"))


if __name__ == "__main__":
    main()
