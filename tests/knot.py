"""A real authoritative DNS server for the tests: Knot DNS (`knotd`, Debian's `knot` package, installed by
`make install` when missing), started by the tests on loopback as an unprivileged process.

The server is primary for the zones it is given and accepts RFC 2136 updates signed with its TSIG key;
a second key it knows may not update anything (to test a refusal). `knotd` runs in the foreground and is
stopped with SIGTERM. When the tests run as root (CI does), it runs as `nobody`, from a folder that user
owns.

    with KnotServer(tmp_path, zones=["links.example.test"]) as knot:
        knot.address          # ("127.0.0.1", port)
        knot.key              # the TsigKey that may update the zones
"""

from __future__ import annotations

import base64
import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

from smschannel.dns.update import TsigKey

UNPRIVILEGED = "nobody"


def knotd() -> str:
    """The `knotd` binary: on PATH, else where Debian puts it."""
    found = shutil.which("knotd") or next((p for p in ("/usr/sbin/knotd", "/sbin/knotd") if os.path.exists(p)), None)
    if found is None:
        raise RuntimeError("no Knot DNS server (knotd): `make install` installs Debian's knot package when it runs "
                           "as root; otherwise run `apt-get install knot`")
    return found


def _free_port() -> int:
    """A port free for both UDP and TCP on loopback."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port: int = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port


def _secret() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


class KnotServer:
    """One `knotd`, primary for `zones`, listening on 127.0.0.1 (UDP and TCP on one port)."""

    def __init__(self, root: Path, *, zones: Sequence[str]) -> None:
        self.zones = [z.rstrip(".") for z in zones]
        self.port = _free_port()
        self.key = TsigKey("smschannel-update.", _secret())
        self.other_key = TsigKey("someone-else.", _secret())
        """A key the server knows but that may update nothing."""
        self.process: subprocess.Popen[bytes] | None = None
        self._demote: Callable[[], None] | None = None
        self.root = root
        self._own_root = False
        if os.geteuid() == 0:
            account = pwd.getpwnam(UNPRIVILEGED)
            uid, gid = account.pw_uid, account.pw_gid

            def demote() -> None:
                os.setgid(gid)
                os.setuid(uid)

            self._demote = demote
            self._owner = (uid, gid)
            # A test's tmp_path lies under a folder only root may enter: the server's files live apart.
            self.root = Path(tempfile.mkdtemp(prefix="smschannel-knot-"))
            self._own_root = True

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def _config(self) -> str:
        keys = "\n".join(f"  - id: {k.name}\n    algorithm: {k.algorithm}\n    secret: {k.secret}"
                         for k in (self.key, self.other_key))
        zones = "\n".join(f"  - domain: {z}\n    file: \"{self.root / (z + '.zone')}\"\n    acl: update"
                          for z in self.zones)
        return (f"server:\n  rundir: \"{self.root}\"\n  listen: 127.0.0.1@{self.port}\n"
                f"log:\n  - target: stderr\n    any: info\n"
                f"database:\n  storage: \"{self.root / 'db'}\"\n"
                f"key:\n{keys}\n"
                f"acl:\n  - id: update\n    key: {self.key.name}\n    action: update\n"
                f"template:\n  - id: default\n    zonefile-sync: -1\n    journal-content: changes\n"
                f"zone:\n{zones}\n")

    def start(self) -> Self:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "db").mkdir(exist_ok=True)
        for zone in self.zones:
            (self.root / f"{zone}.zone").write_text(
                f"$ORIGIN {zone}.\n$TTL 60\n"
                f"@ SOA ns.{zone}. hostmaster.{zone}. 1 3600 600 86400 60\n"
                f"@ NS ns.{zone}.\nns A 127.0.0.1\n")
        config = self.root / "knot.conf"
        config.write_text(self._config())
        if self._demote is not None:
            for path in self.root.rglob("*"):
                os.chown(path, *self._owner)
            os.chown(self.root, *self._owner)
            os.chmod(self.root, 0o700)
        log = open(self.root / "knotd.log", "wb")  # noqa: SIM115 - the server writes it until stopped
        self.process = subprocess.Popen([knotd(), "-c", str(config)], preexec_fn=self._demote, stdout=log,
                                        stderr=subprocess.STDOUT)
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        query = dns.message.make_query(self.zones[0], "SOA")
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"knotd exited: {self.log()[-2000:]}")
            with contextlib.suppress(OSError, dns.exception.DNSException):
                answer = dns.query.tcp(query, "127.0.0.1", port=self.port, timeout=1)
                if answer.rcode() == dns.rcode.NOERROR and answer.answer:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"knotd did not answer in 30 s: {self.log()[-2000:]}")
            time.sleep(0.05)

    def log(self) -> str:
        path = self.root / "knotd.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def lookup(self, name: str, rtype: str = "CNAME") -> list[str]:
        """What the server answers for `name` (its own authoritative data)."""
        answer = dns.query.tcp(dns.message.make_query(name, rtype), "127.0.0.1", port=self.port, timeout=5)
        return sorted(rdata.to_text() for rrset in answer.answer if rrset.rdtype == dns.rdatatype.from_text(rtype)
                      for rdata in rrset)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
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


__all__ = ["KnotServer", "knotd"]
