"""Serve any ASGI app on loopback from a background thread, for tests and `smschannel up`.

    with LocalServer(app) as server:
        httpx.get(f"{server.url}/health")

The socket is bound before the thread starts (port 0 picks a free port), so `.url` is known at
once; `start()` returns when uvicorn accepts connections and `stop()` returns when the thread, the
event loop and the socket are gone. With `ssl_certfile`/`ssl_keyfile` it serves HTTPS (`.url` then
starts with https://); `ssl_ca_certs` and `ssl_cert_reqs` say which client certificates it asks for.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import ssl
import threading
from types import TracebackType
from typing import Any, Self

import uvicorn


class _Server(uvicorn.Server):
    """uvicorn.Server that says when it is ready (or failed), and stops as soon as it is asked."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()

    def run_in_thread(self, sock: socket.socket) -> None:
        try:
            self.run(sockets=[sock])
        except SystemExit:  # uvicorn exits when the app's startup fails; it has logged why
            pass
        finally:
            self.ready.set()

    async def main_loop(self) -> None:
        # uvicorn's own loop polls should_exit every 0.1 s; waking it on request makes stop() quick.
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.1)

    def request_exit(self) -> None:
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(wake.set)


class LocalServer:
    """Run `app` (an ASGI application) with uvicorn on `host`, in a daemon thread.

    `port=0` (the default) lets the system pick a free port. `url` is e.g. "http://127.0.0.1:54321".
    `start()`/`stop()` or a `with` block; a stopped server can be started again (on a new port
    when `port` is 0). The `ssl_*` settings go to uvicorn as they are: with a certificate and key
    the server speaks HTTPS and `url` is e.g. "https://127.0.0.1:54321".
    """

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        startup_timeout: float = 10.0,
        shutdown_timeout: int = 5,
        ssl_certfile: str | os.PathLike[str] | None = None,
        ssl_keyfile: str | os.PathLike[str] | None = None,
        ssl_ca_certs: str | None = None,
        ssl_cert_reqs: int = ssl.CERT_NONE,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.log_level = log_level
        self.startup_timeout = startup_timeout
        self.shutdown_timeout = shutdown_timeout
        self.ssl_certfile = ssl_certfile
        self.ssl_keyfile = ssl_keyfile
        self.ssl_ca_certs = ssl_ca_certs
        self.ssl_cert_reqs = ssl_cert_reqs
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._bound_port: int | None = None

    @property
    def url(self) -> str:
        if self._bound_port is None:
            raise RuntimeError(f"{type(self).__name__} is not running: call start() or use it in a with block")
        return f"{'https' if self.tls else 'http'}://{self.host}:{self._bound_port}"

    @property
    def tls(self) -> bool:
        """Whether the server speaks HTTPS (as uvicorn decides it: a certificate or key file is set)."""
        return bool(self.ssl_certfile or self.ssl_keyfile)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Self:
        if self._thread is not None:
            raise RuntimeError(f"{type(self).__name__} is already running")
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
        # and without it every keep-alive answer waits 40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        config = uvicorn.Config(
            self.app,
            log_level=self.log_level,
            log_config=None,
            access_log=False,
            http="h11",
            ws="none",
            loop="asyncio",
            lifespan="auto",
            timeout_graceful_shutdown=self.shutdown_timeout,
            ssl_certfile=self.ssl_certfile,
            ssl_keyfile=self.ssl_keyfile,
            ssl_ca_certs=self.ssl_ca_certs,
            ssl_cert_reqs=self.ssl_cert_reqs,
        )
        server = _Server(config)
        thread = threading.Thread(
            target=server.run_in_thread,
            args=(sock,),
            name=f"{type(self).__name__}:{sock.getsockname()[1]}",
            daemon=True,
        )
        self._socket, self._server, self._thread = sock, server, thread
        self._bound_port = sock.getsockname()[1]
        thread.start()
        ready = server.ready.wait(self.startup_timeout)
        if not ready or not server.started:
            self.stop()
            why = (
                "failed to start (its startup raised; see the log)"
                if ready
                else (f"did not start within {self.startup_timeout} s")
            )
            kind = "HTTPS local server" if self.tls else "local server"
            raise RuntimeError(f"the {kind} for {self.app!r} {why}")
        return self

    def stop(self) -> None:
        server, thread, sock = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        self._bound_port = None
        if server is not None:
            server.request_exit()
        if thread is not None:
            thread.join(self.shutdown_timeout + 5)
            if thread.is_alive():  # pragma: no cover - only if the app ignores cancellation
                if server is not None:
                    server.force_exit = True
                thread.join(5)
        if sock is not None:
            sock.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._bound_port is not None else "stopped"
        return f"{type(self).__name__}({where})"
