"""A small client for the registry's HTTP API, used by the provider, the CLI and the tests.

Errors come back as the `RegistryError` tree of `smschannel.errors`, with the registry's own
detail (which names a missing scope, a broken rule, ...).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from smschannel.change_ref import change_headers
from smschannel.errors import (
    RegistryAuthError,
    RegistryConflict,
    RegistryError,
    RegistryForbidden,
    RegistryNotFound,
)
from smschannel.scopes import PRODUCTION

_BY_STATUS: dict[int, type[RegistryError]] = {
    401: RegistryAuthError,
    403: RegistryForbidden,
    404: RegistryNotFound,
    409: RegistryConflict,
}


class RegistryClient:
    """The registry API for one sandbox. Thread-safe; counts the requests it makes."""

    def __init__(
        self,
        endpoint: str,
        token: str | None,
        *,
        sandbox: str = PRODUCTION,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        headers = {"User-Agent": "smschannel", **change_headers(os.environ)}  # for the audit trail
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.endpoint = endpoint.rstrip("/")
        self.sandbox = sandbox
        self._http = httpx.Client(base_url=self.endpoint, headers=headers, timeout=timeout, transport=transport)
        self._lock = threading.Lock()
        self.requests = 0

    def __repr__(self) -> str:
        return f"RegistryClient({self.endpoint!r}, sandbox={self.sandbox!r})"

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, *, json: Any = None, params: Mapping[str, str] | None = None) -> Any:
        with self._lock:
            self.requests += 1
        try:
            response = self._http.request(method, path, json=json, params=params)
        except httpx.HTTPError as exc:
            raise RegistryError(
                f"cannot reach the smschannel registry at {self.endpoint}: {type(exc).__name__}: {exc}",
                status=0,
            ) from exc
        if response.status_code >= 400:
            raise _error(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def _path(self, stem: str, object_id: str | None = None) -> str:
        base = f"/v1/shared/{stem}" if stem in _shared_stems() else f"/v1/sandboxes/{self.sandbox}/{stem}"
        return f"{base}/{object_id}" if object_id else base

    # ------------------------------------------------------------------ objects
    def list(self, stem: str) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = self._call("GET", self._path(stem))["data"]
        return data

    def get(self, stem: str, object_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", self._path(stem, object_id))
        return result

    def create(self, stem: str, attributes: Mapping[str, Any], secrets: Mapping[str, str]) -> dict[str, Any]:
        body = {**attributes, "secrets": dict(secrets)}
        result: dict[str, Any] = self._call("POST", self._path(stem), json=body)
        return result

    def update(
        self, stem: str, object_id: str, attributes: Mapping[str, Any], secrets: Mapping[str, str],
        *, cleared: Sequence[str] | None = None,
    ) -> dict[str, Any]:
        """Change an object; `secrets` holds only new values, `cleared` the optional secrets to forget."""
        body: dict[str, Any] = {**attributes, "secrets": dict(secrets)}
        if cleared:
            body["cleared_secrets"] = list(cleared)
        result: dict[str, Any] = self._call("PATCH", self._path(stem, object_id), json=body)
        return result

    def delete(self, stem: str, object_id: str) -> str:
        """Delete one object; return what the registry undid at the vendor, if anything."""
        answer = self._call("DELETE", self._path(stem, object_id))
        return str(answer.get("note", "")) if isinstance(answer, dict) else ""

    # ------------------------------------------------------------------ about the caller
    def whoami(self) -> dict[str, Any]:
        """The token's name and its grants: `{"grants": {"<sandbox or *>": ["scope", ...]}}`."""
        result: dict[str, Any] = self._call("GET", "/v1/whoami")
        return result

    def fingerprint_key(self) -> bytes:
        """The key the registry hashes secrets with, so plans can show a rotated secret."""
        return bytes.fromhex(self._call("GET", "/v1/meta")["fingerprint_key"])

    def raw(self, method: str, path: str, *, json: Any = None, params: Mapping[str, str] | None = None) -> Any:
        """Any other route of the registry API (consent, inbound simulation, ...)."""
        return self._call(method, path, json=json, params=params)


def _shared_stems() -> frozenset[str]:
    from smschannel.model import RESOURCES

    return frozenset(m.stem() for m in RESOURCES if m.shared)


def _error(response: httpx.Response) -> RegistryError:
    try:
        body = response.json()
        detail = body.get("detail", "") if isinstance(body, dict) else ""
    except ValueError:
        detail = response.text[:200]
    if isinstance(detail, list):  # FastAPI's request validation shape
        detail = "; ".join(str(d.get("msg", d)) for d in detail)
    kind = _BY_STATUS.get(response.status_code, RegistryError)
    message = str(detail) or f"the registry answered {response.status_code}"
    return kind(message, status=response.status_code, detail=str(detail))


__all__ = ["RegistryClient"]
