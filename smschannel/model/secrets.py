"""Secrets: given as a value or as the name of an environment variable; stored only as a fingerprint."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
FINGERPRINT_PREFIX = "hmac-sha256:"


@dataclass(frozen=True)
class SecretRef:
    """One secret attribute as configured: `value` (from `X`), `env` (from `X_env`) or `file` (`X_file`)."""

    value: str | None = None
    env: str | None = None
    file: str | None = None

    @property
    def given(self) -> bool:
        return self.value is not None or self.env is not None or self.file is not None

    def resolve(self) -> str | None:
        """The secret itself: the value, the environment variable's or the file's content (None when unset)."""
        secret, _ = self.read()
        return secret

    def read(self) -> tuple[str | None, str | None]:
        """The secret and, when it cannot be read, why (naming the variable or file, never the secret)."""
        if self.value is not None:
            return self.value, None
        if self.env is not None:
            found = os.environ.get(self.env)
            return (found, None) if found else (None, f"names {self.env}, which is not set in the environment "
                                                      "Terraform runs in; set it, or give the secret another way")
        if self.file is not None:
            try:
                return Path(self.file).expanduser().read_text(), None
            except OSError as exc:
                return None, f"names {self.file}, which cannot be read: {exc.strerror or exc}"
        return None, None

    @classmethod
    def of(cls, values: Mapping[str, Any], field: str) -> SecretRef:
        return cls(values.get(field), values.get(f"{field}_env"), values.get(f"{field}_file"))


def fingerprint(key: bytes, secret: str) -> str:
    """A keyed hash (HMAC-SHA256) of a secret: it changes when the secret changes and reveals nothing."""
    digest = hmac.new(key, secret.encode("utf-8"), hashlib.sha256).hexdigest()
    return FINGERPRINT_PREFIX + digest[:32]


__all__ = ["ENV_NAME", "FINGERPRINT_PREFIX", "SecretRef", "fingerprint"]
