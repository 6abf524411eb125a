"""A real PostgreSQL server for the tests, on loopback, started and stopped by the tests themselves.

The server binaries come from the `pgserver` wheel (a pip dependency of `make install`, so a fresh
machine needs no system package), or from `postgres` on PATH when there is one. `initdb` and `postgres`
refuse to run as root, and CI runs as root: then the server runs as the unprivileged user `nobody`,
from a copy of the binaries in a folder that user can read (a clone made by `mktemp -d` is private).

    with PostgresServer(tmp_path) as server:
        url = server.create_database("registry")   # postgresql+psycopg://...@127.0.0.1:PORT/registry
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

UNPRIVILEGED = "nobody"


def server_binaries() -> Path:
    """The folder holding `initdb` and `postgres`: pgserver's, else the one on PATH."""
    spec = importlib.util.find_spec("pgserver")  # found, not imported: its import warns
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        if (folder / "postgres").exists():
            return folder
    found = shutil.which("postgres")
    if found is None:
        raise RuntimeError("no PostgreSQL server: `make install` installs the pgserver wheel that carries one")
    return Path(found).parent


def _readable_copy(binaries: Path) -> Path:
    """The server's installation in a folder every user can read (once per machine and version). The
    wheel's binaries find their libraries at `../../../pgserver.libs`: the copy keeps that layout."""
    package = binaries.parent.parent  # .../site-packages/pgserver
    libraries = package.parent / f"{package.name}.libs"
    stamp = f"{(binaries / 'postgres').stat().st_mtime_ns}-{(binaries / 'postgres').stat().st_size}"
    target = Path(tempfile.gettempdir()) / f"smschannel-postgres-{stamp}"
    inside = target / package.name / binaries.parent.name / binaries.name
    if not (inside / "postgres").exists():
        partial = Path(tempfile.mkdtemp(prefix="smschannel-postgres-copy-"))
        shutil.copytree(binaries.parent, partial / "tree" / package.name / binaries.parent.name, symlinks=True)
        if libraries.is_dir():
            shutil.copytree(libraries, partial / "tree" / libraries.name, symlinks=True)
        for folder, _dirs, _files in os.walk(partial):
            os.chmod(folder, 0o755)
        with contextlib.suppress(OSError):  # another test process made it first
            (partial / "tree").rename(target)
        shutil.rmtree(partial, ignore_errors=True)
    return inside


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PostgresServer:
    """One PostgreSQL cluster in `root`, listening on 127.0.0.1 only, with trust authentication."""

    def __init__(self, root: Path, *, user: str = "smschannel") -> None:
        self.root = root
        self._own_root = False
        self.user = user
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.bin = server_binaries()
        self._demote: Callable[[], None] | None = None
        if os.geteuid() == 0:
            account = pwd.getpwnam(UNPRIVILEGED)
            self.bin = _readable_copy(self.bin)
            uid, gid = account.pw_uid, account.pw_gid

            def demote() -> None:
                os.setgid(gid)
                os.setuid(uid)

            self._demote = demote
            self._owner = (uid, gid)
            # A test's tmp_path lies under a folder only root may enter: the cluster lives beside it.
            self.root = Path(tempfile.mkdtemp(prefix="smschannel-postgres-cluster-"))
            self._own_root = True
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"

    def _run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([str(self.bin / args[0]), *args[1:]], preexec_fn=self._demote, capture_output=True,
                              check=True, timeout=120, env={**os.environ, "LC_ALL": "C"})

    def start(self) -> Self:
        self.root.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(exist_ok=True)
        if self._demote is not None:
            for path in (self.root, self.sockets):
                os.chown(path, *self._owner)
                os.chmod(path, 0o700)
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "--no-sync", "-E", "UTF8")
        log = open(self.root / "server.log", "wb")  # noqa: SIM115 - the server writes it until stopped
        self.process = subprocess.Popen(
            [str(self.bin / "postgres"), "-D", str(self.data), "-h", "127.0.0.1", "-p", str(self.port),
             "-k", str(self.sockets), "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=200"],
            preexec_fn=self._demote, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "LC_ALL": "C"})
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + 60
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"PostgreSQL exited: {(self.root / 'server.log').read_text()[-2000:]}")
            try:
                psycopg.connect(self.dsn("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def dsn(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of a database (the registry's `--database`)."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: smart shutdown; the tests' clients are gone by now
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


__all__ = ["PostgresServer", "server_binaries"]
