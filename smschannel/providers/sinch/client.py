"""Sinch SMS REST client (XMS API v1): the calls smschannel makes to `{region}.sms.api.sinch.com`.

Auth is a bearer token per service plan; bodies are JSON. Sinch has no credential-check endpoint,
so `verify()` lists one batch of the service plan, the cheapest read that proves the plan ID and
token work. Errors keep Sinch's own code and text (`{"code": "...", "text": "..."}`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from smschannel.model.sinch_credentials import SINCH_REGIONS
from smschannel.providers.http import (
    DEFAULT_BACKOFF,
    SYSTEM_CLOCK,
    Backoff,
    BearerAuth,
    Clock,
    VendorClient,
    VendorFault,
    VendorProfile,
    VendorSession,
)


def sinch_base_url(region: str) -> str:
    """The SMS API's base URL for a region: `https://{region}.sms.api.sinch.com`."""
    if region not in SINCH_REGIONS:
        raise ValueError(f"Sinch region must be one of {', '.join(SINCH_REGIONS)}, got {region!r}")
    return f"https://{region}.sms.api.sinch.com"


def _decode_error(response: httpx.Response) -> VendorFault | None:
    """Sinch's error body: {"code": "syntax_invalid_json", "text": "..."}."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or ("code" not in body and "text" not in body):
        return None
    code = body.get("code")
    return VendorFault(code=None if code is None else str(code), message=str(body.get("text") or ""))


SINCH = VendorProfile(name="sinch", label="Sinch", decode_error=_decode_error)


@dataclass(frozen=True)
class SinchBatchPage:
    """What `verify()` learnt: the plan's batch count (the page itself is not kept)."""

    page: int
    page_size: int
    count: int


@dataclass(frozen=True)
class SinchBatch:
    id: str
    from_: str | None
    to: tuple[str, ...]
    body: str
    canceled: bool


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


class SinchClient(VendorClient):
    """One Sinch service plan credential. Use as a context manager, or call `close()`.

    `region` picks the regional API (`us`, `eu`, `au`, `br`, `ca`); `base_url` overrides it (a
    local emulator, a proxy). The other keywords are as for `TwilioClient`.
    """

    def __init__(
        self,
        service_plan_id: str,
        api_token: str,
        *,
        region: str = "us",
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: Backoff = DEFAULT_BACKOFF,
        rate_limit_rps: float = 0.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.service_plan_id = service_plan_id
        self.region = region
        self.base_url = (base_url or sinch_base_url(region)).rstrip("/")
        self._session = VendorSession(
            SINCH,
            auth=BearerAuth(api_token),
            secrets=(api_token,),
            transport=transport,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            rate_limit_rps=rate_limit_rps,
            clock=clock,
        )

    def __repr__(self) -> str:
        plan, base = self.service_plan_id, self.base_url
        return f"SinchClient(service_plan_id={plan!r}, api_token='***', base_url={base!r})"

    def _batches_url(self) -> str:
        return f"{self.base_url}/xms/v1/{quote(self.service_plan_id, safe='')}/batches"

    def verify(self) -> SinchBatchPage:
        """List one batch of the plan: proves the plan ID and token work (the *verify connection* check)."""
        data = self._session.json("GET", self._batches_url(), params={"page_size": 1})
        return SinchBatchPage(
            page=_int(data.get("page")), page_size=_int(data.get("page_size")), count=_int(data.get("count"))
        )

    def send_batch(
        self, from_: str, *, to: Sequence[str], body: str, client_reference: str | None = None,
        callback_url: str | None = None,
    ) -> SinchBatch:
        """Send `body` from `from_` to every number in `to`. Never retried blindly. `client_reference`
        (at most 128 characters) stays with the batch: `find_batch` finds it again. `callback_url` overrides
        the service plan's callback URL (set in Sinch's dashboard) for this batch's delivery reports, which are
        then asked for per recipient."""
        if not to:
            raise ValueError("send_batch needs at least one recipient in to")
        payload: dict[str, Any] = {"from": from_, "to": list(to), "body": body, "type": "mt_text"}
        if client_reference is not None:
            payload["client_reference"] = client_reference
        if callback_url:
            payload.update({"callback_url": callback_url, "delivery_report": "per_recipient"})
        return _batch(self._session.json("POST", self._batches_url(), json=payload))

    def find_batch(self, client_reference: str, *, from_: str, start_date: datetime) -> SinchBatch | None:
        """The batch sent from `from_` at or after `start_date` with this client reference, if any
        (pages through `GET .../batches?from=...&start_date=...`)."""
        since = start_date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        page = 0
        while True:
            data = self._session.json("GET", self._batches_url(), params={
                "from": from_, "start_date": since, "page": page, "page_size": 100})
            batches = data.get("batches")
            listed = [b for b in batches if isinstance(b, dict)] if isinstance(batches, list) else []
            for batch in listed:
                if batch.get("client_reference") == client_reference:
                    return _batch(batch)
            if len(listed) < 100:
                return None
            page += 1


def _batch(data: dict[str, Any]) -> SinchBatch:
    recipients = data.get("to")
    return SinchBatch(
        id=str(data.get("id") or ""),
        from_=None if data.get("from") is None else str(data.get("from")),
        to=tuple(str(r) for r in recipients) if isinstance(recipients, list) else (),
        body=str(data.get("body") or ""),
        canceled=data.get("canceled") is True,
    )
