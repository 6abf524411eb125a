"""Secrets at rest: encrypted with Fernet under a master key; fingerprinted with a derived HMAC key."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from smschannel.model.secrets import fingerprint


class SecretBox:
    """Encrypts a dict of secrets for storage, and fingerprints single secrets."""

    def __init__(self, master_key: bytes) -> None:
        self._fernet = Fernet(master_key)
        self.fingerprint_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"smschannel fingerprints"
        ).derive(master_key)

    @classmethod
    def from_file(cls, path: Path) -> SecretBox:
        """Load the master key, creating it (readable by the owner only) on first use."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(Fernet.generate_key())
        return cls(path.read_bytes().strip())

    def seal(self, secrets: dict[str, str]) -> bytes:
        return self._fernet.encrypt(json.dumps(secrets, sort_keys=True).encode())

    def open(self, sealed: bytes | None) -> dict[str, str]:
        if not sealed:
            return {}
        opened: dict[str, str] = json.loads(self._fernet.decrypt(sealed))
        return opened

    def fingerprint(self, secret: str) -> str:
        return fingerprint(self.fingerprint_key, secret)


__all__ = ["SecretBox"]
