"""Secrets: given as a value or as the name of an environment variable; stored only as a fingerprint."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
FINGERPRINT_PREFIX = "hmac-sha256:"


@dataclass(frozen=True)
class SecretRef:
    """One secret attribute as configured: `value` (from `X`) or `env` (from `X_env`)."""

    value: str | None = None
    env: str | None = None

    def resolve(self) -> str | None:
        """The secret itself: the value, or the environment variable's content (None when unset)."""
        if self.value is not None:
            return self.value
        if self.env is not None:
            return os.environ.get(self.env) or None
        return None


def fingerprint(key: bytes, secret: str) -> str:
    """A keyed hash (HMAC-SHA256) of a secret: it changes when the secret changes and reveals nothing."""
    digest = hmac.new(key, secret.encode("utf-8"), hashlib.sha256).hexdigest()
    return FINGERPRINT_PREFIX + digest[:32]


__all__ = ["ENV_NAME", "FINGERPRINT_PREFIX", "SecretRef", "fingerprint"]
