"""The errors smschannel raises on purpose, as one documented tree.

    SmschannelError                 anything a person can act on; printed as one line
    ├── ValidationFailed            inputs broke a rule of the model (carries every problem)
    ├── RegistryError               the registry answered with an error (status, detail)
    │   ├── RegistryAuthError       401: no token or an unknown one
    │   ├── RegistryForbidden       403: the token lacks a scope (the scope is named)
    │   ├── RegistryNotFound        404
    │   └── RegistryConflict        409
    ├── VendorError                 a vendor API refused or failed (vendor=, code=)
    │   ├── VendorAuthError         the vendor rejected the credentials
    │   ├── VendorRateLimited       429 after every retry
    │   ├── VendorUnavailable       5xx, timeouts and connection errors after every retry
    │   └── VendorRejected          any other 4xx
    ├── TerraformError              Terraform itself failed or could not start
    │   └── StalePlan               a saved plan no longer matches the code or the state (exit code 3)
    └── ForgeError                  GitHub or GitLab refused or failed a pipeline call (status=)

Context is keyword-only. No message ever carries a secret: vendor errors keep the vendor's own
code and message, which never echo the token.
"""

from __future__ import annotations

from dataclasses import dataclass


class SmschannelError(Exception):
    """Base of every error meant for a person: one line, no secret, no traceback."""


@dataclass(frozen=True)
class Problem:
    """One broken rule: the attribute it concerns and a message that starts with it."""

    attribute: str
    message: str

    def line(self, address: str) -> str:
        return f"{address}: {self.message}"


class ValidationFailed(SmschannelError):
    def __init__(self, address: str, problems: list[Problem]) -> None:
        self.address = address
        self.problems = problems
        super().__init__("\n".join(p.line(address) for p in problems))


class RegistryError(SmschannelError):
    def __init__(self, message: str, *, status: int, detail: str = "") -> None:
        self.status = status
        self.detail = detail
        super().__init__(message)


class RegistryAuthError(RegistryError):
    pass


class RegistryForbidden(RegistryError):
    pass


class RegistryNotFound(RegistryError):
    pass


class RegistryConflict(RegistryError):
    pass


class VendorError(SmschannelError):
    def __init__(self, message: str, *, vendor: str, code: str | None = None, status: int | None = None,
                 retry_after: float | None = None) -> None:
        self.vendor = vendor
        self.code = code
        self.status = status
        self.retry_after = retry_after
        """Seconds the vendor asked to wait before trying again (its `Retry-After`), when it said."""
        super().__init__(message)


class VendorAuthError(VendorError):
    pass


class VendorRateLimited(VendorError):
    pass


class VendorUnavailable(VendorError):
    pass


class VendorRejected(VendorError):
    pass


class TerraformError(SmschannelError):
    pass


class StalePlan(TerraformError):
    """A saved plan that may not be applied: the code or the state moved since it was reviewed."""


class ForgeError(SmschannelError):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


__all__ = [
    "ForgeError",
    "Problem",
    "RegistryAuthError",
    "RegistryConflict",
    "RegistryError",
    "RegistryForbidden",
    "RegistryNotFound",
    "SmschannelError",
    "StalePlan",
    "TerraformError",
    "ValidationFailed",
    "VendorAuthError",
    "VendorError",
    "VendorRateLimited",
    "VendorRejected",
    "VendorUnavailable",
]
