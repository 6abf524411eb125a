"""Secrets at rest: encrypted with Fernet under a master key; fingerprinted with a derived HMAC key.

The key file holds one Fernet key per line, the newest first: secrets are sealed with the first and
opened with any of them, so the master key can be rotated while registries run (`smschannel key
rotate`, then `smschannel key retire` once every server has the new file). A `fingerprint-key:` line
pins the fingerprint key, so a rotation changes no fingerprint (plans stay quiet). A running registry
reads the file again when it changes, and when a secret does not open with the keys it has.

    fingerprint-key: <64 hex digits>     (written by the first rotation)
    <newest Fernet key>
    <older Fernet key>                   (until retired)
"""

from __future__ import annotations

import json
import os
import secrets as rand
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from smschannel.errors import SmschannelError
from smschannel.model.secrets import fingerprint

PIN = "fingerprint-key:"


def derived_fingerprint_key(master_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"smschannel fingerprints").derive(master_key)


@dataclass(frozen=True)
class KeyRing:
    """The keys of a key file: Fernet keys (newest first) and the fingerprint key."""

    keys: tuple[bytes, ...]
    fingerprint_key: bytes

    @classmethod
    def parse(cls, text: str, *, where: Path) -> KeyRing:
        keys: list[bytes] = []
        pinned: bytes | None = None
        for line in (raw.strip() for raw in text.splitlines()):
            if not line or line.startswith("#"):
                continue
            if line.startswith(PIN):
                try:
                    pinned = bytes.fromhex(line.removeprefix(PIN).strip())
                except ValueError:
                    raise SmschannelError(f"{where}: the {PIN} line must hold 64 hex digits") from None
                continue
            try:
                Fernet(line.encode())
            except ValueError:
                raise SmschannelError(f"{where}: a line is not a Fernet key (32 url-safe base64 bytes)") from None
            keys.append(line.encode())
        if not keys:
            raise SmschannelError(f"{where}: the key file holds no key")
        return cls(tuple(keys), pinned if pinned is not None else derived_fingerprint_key(keys[-1]))

    def render(self) -> str:
        return "\n".join([f"{PIN} {self.fingerprint_key.hex()}", *(k.decode() for k in self.keys)]) + "\n"


def _write(path: Path, text: str) -> None:
    """Replace the file at once (readers see the old or the new one, never half of one), owner-only."""
    tmp = path.with_name(f".{path.name}.{rand.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)


def read_ring(path: Path) -> KeyRing:
    return KeyRing.parse(path.read_text(), where=path)


def add_key(path: Path) -> KeyRing:
    """Rotation, step one: a new key first in the file (it seals from now on), the old ones kept."""
    ring = read_ring(path)
    new = KeyRing((Fernet.generate_key(), *ring.keys), ring.fingerprint_key)
    _write(path, new.render())
    return new


def keep_newest(path: Path) -> KeyRing:
    """Rotation, last step: only the newest key stays (run once every secret is sealed with it)."""
    ring = read_ring(path)
    new = KeyRing(ring.keys[:1], ring.fingerprint_key)
    _write(path, new.render())
    return new


class SecretBox:
    """Encrypts a dict of secrets for storage, and fingerprints single secrets."""

    def __init__(self, master_key: bytes | KeyRing, *, path: Path | None = None) -> None:
        ring = master_key if isinstance(master_key, KeyRing) else KeyRing((master_key,),
                                                                          derived_fingerprint_key(master_key))
        self._path = path
        self._lock = threading.Lock()
        self._stamp = self._file_stamp()
        self._use(ring)

    def _use(self, ring: KeyRing) -> None:
        self.ring = ring
        self._fernet = MultiFernet([Fernet(k) for k in ring.keys])
        self.fingerprint_key = ring.fingerprint_key

    def _file_stamp(self) -> tuple[int, int] | None:
        if self._path is None:
            return None
        try:
            stat = self._path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def reload(self, *, force: bool = False) -> bool:
        """Read the key file again if it changed (or when `force`); whether the keys changed."""
        if self._path is None:
            return False
        with self._lock:
            stamp = self._file_stamp()
            if not force and stamp == self._stamp:
                return False
            ring = read_ring(self._path)
            self._stamp = stamp
            changed = ring != self.ring
            self._use(ring)
            return changed

    @classmethod
    def from_file(cls, path: Path) -> SecretBox:
        """Load the master key(s), creating a key (readable by the owner only) on first use."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(Fernet.generate_key())
        return cls(read_ring(path), path=path)

    def seal(self, secrets: dict[str, str]) -> bytes:
        self.reload()
        return self._fernet.encrypt(json.dumps(secrets, sort_keys=True).encode())

    def open(self, sealed: bytes | None) -> dict[str, str]:
        if not sealed:
            return {}
        try:
            plain = self._fernet.decrypt(sealed)
        except InvalidToken:
            if not self.reload(force=True):  # sealed with a key this process has not read yet?
                raise
            plain = self._fernet.decrypt(sealed)
        opened: dict[str, str] = json.loads(plain)
        return opened

    def rotate(self, sealed: bytes) -> bytes:
        """The same secrets sealed with the newest key."""
        return self._fernet.rotate(sealed)

    def fingerprint(self, secret: str) -> str:
        return fingerprint(self.fingerprint_key, secret)


__all__ = ["KeyRing", "SecretBox", "add_key", "derived_fingerprint_key", "keep_newest", "read_ring"]
