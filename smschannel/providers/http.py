"""What every vendor client shares: the HTTP client, retries, pacing and error translation.

One `VendorSession` per vendor and credential owns one `httpx.Client` (connection pooling,
timeouts, auth). `VendorSession.request` paces calls (`rate_limit_rps`), retries what is safe to
retry with exponential backoff and jitter that honours `Retry-After`, and turns every failure into
the `VendorError` tree through one context manager, `vendor_errors`:

    httpx exception / error response         VendorError raised
    ─────────────────────────────────────    ─────────────────────────────────────────────
    401, 403                                 VendorAuthError
    429 (after every retry)                  VendorRateLimited
    5xx, timeouts, network and remote        VendorUnavailable
    protocol errors, undecodable bodies
    any other 4xx or unexpected status       VendorRejected
    bad URL, local protocol error, ...       VendorError

Retries: 429 and 503 (the vendor did not act), and connection failures that happened before the
request left (ConnectError, ConnectTimeout, PoolTimeout) are retried for every method. Other 5xx
answers, read/write timeouts and dropped connections are retried only for idempotent requests, so a
create is never sent twice because an answer got lost.

Messages keep the vendor's own error code and message and never carry a secret: every message is
scrubbed of the session's secrets before it is raised or logged.

This module is on the Terraform provider's import path: it imports only httpx and the stdlib.
"""

from __future__ import annotations

import email.utils
import logging
import random
import ssl
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx

from smschannel import __version__
from smschannel.errors import (
    VendorAuthError,
    VendorError,
    VendorRateLimited,
    VendorRejected,
    VendorUnavailable,
)

logger = logging.getLogger("smschannel.vendors")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

# Failures that happen before the request reaches the vendor: safe to retry for any method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after which the vendor may or may not have acted: retried for idempotent requests only.
_MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
# Answers that say the vendor did not act on the request.
_NOT_ACTED_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class Clock:
    """Where a session gets time and randomness from; tests pass fakes so nothing really waits."""

    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random


SYSTEM_CLOCK = Clock()


@dataclass(frozen=True)
class Backoff:
    """How long to wait between attempts.

    `initial` is the wait before the first retry; it doubles each retry up to `maximum`. The wait
    is jittered between half and all of that value. A `Retry-After` from the vendor is honoured
    (the wait is at least that long) as long as it is at most `retry_after_max` seconds; a longer
    one stops the retries at once, since waiting that long inside a plan or apply helps nobody.
    """

    initial: float = 0.5
    maximum: float = 8.0
    retry_after_max: float = 30.0

    def delay(self, retry: int, jitter: float) -> float:
        """The wait before retry number `retry` (0 for the first), `jitter` in [0, 1)."""
        ceiling = min(self.maximum, self.initial * 2.0**retry)
        return ceiling / 2 + ceiling / 2 * jitter


DEFAULT_BACKOFF = Backoff()


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait according to a `Retry-After` header (delay-seconds or HTTP date), or None.

    `now` is the current wall-clock time (seconds since the epoch), used for the HTTP-date form.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; a date without zone is read as such
        return None
    return max(0.0, when.timestamp() - now)


class RateLimiter:
    """Spaces calls at least `1 / rps` seconds apart; `rps=0` means unlimited. Thread-safe."""

    def __init__(self, rps: float, *, clock: Clock = SYSTEM_CLOCK) -> None:
        if rps < 0:
            raise ValueError(f"rate_limit_rps must be 0 (unlimited) or more, got {rps}")
        self.rps = rps
        self._interval = 1.0 / rps if rps else 0.0
        self._clock = clock
        self._next = float("-inf")
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait for this call's slot; return how long it waited."""
        if not self._interval:
            return 0.0
        with self._lock:
            now = self._clock.monotonic()
            slot = max(now, self._next)
            self._next = slot + self._interval
        wait = slot - now
        if wait > 0:
            self._clock.sleep(wait)
        return wait


@dataclass(frozen=True)
class VendorFault:
    """The vendor's own account of an error: its code, its message, and where it documents it."""

    code: str | None
    message: str
    more_info: str | None = None


ErrorDecoder = Callable[[httpx.Response], VendorFault | None]


@dataclass(frozen=True)
class VendorProfile:
    """What the shared code needs to know about a vendor: names and how its error bodies look."""

    name: str  # VendorError.vendor, e.g. "twilio"
    label: str  # how messages name it, e.g. "Twilio"
    decode_error: ErrorDecoder


def scrub(text: str, *, secrets: Sequence[str]) -> str:
    """`text` with every secret replaced by `***`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _where(request: httpx.Request) -> str:
    return f"{request.method} {request.url.copy_with(query=None)}"


def _attempts(attempts: int) -> str:
    return f" after {attempts} attempts" if attempts > 1 else ""


# Status-free failures, most specific first. Every httpx exception that a request can raise
# resolves to one row (tests/vendors/test_errors.py checks that the table is complete).
EXCEPTION_MAP: tuple[tuple[type[Exception], type[VendorError], str], ...] = (
    (httpx.TimeoutException, VendorUnavailable, "did not answer in time"),
    (httpx.NetworkError, VendorUnavailable, "could not be reached"),
    (httpx.ProxyError, VendorUnavailable, "could not be reached through the proxy"),
    (httpx.RemoteProtocolError, VendorUnavailable, "broke the HTTP protocol"),
    (httpx.DecodingError, VendorUnavailable, "sent a response that could not be decoded"),
    (httpx.UnsupportedProtocol, VendorError, "has a URL whose scheme smschannel cannot call"),
    (httpx.LocalProtocolError, VendorError, "could not be sent a valid HTTP request"),
    (httpx.TooManyRedirects, VendorError, "redirected too many times"),
    (httpx.TransportError, VendorUnavailable, "could not be reached"),
    (httpx.InvalidURL, VendorError, "has an invalid URL"),
    (httpx.HTTPError, VendorError, "failed"),
)


def map_exception(exc_type: type[Exception]) -> tuple[type[VendorError], str]:
    """The VendorError class and wording for an httpx exception class (first matching row)."""
    for source, cls, what in EXCEPTION_MAP:
        if issubclass(exc_type, source):
            return cls, what
    raise LookupError(f"{exc_type.__name__} is not an httpx exception smschannel translates")


def error_class_for_status(status: int) -> type[VendorError]:
    if status in (401, 403):
        return VendorAuthError
    if status == 429:
        return VendorRateLimited
    if status >= 500:
        return VendorUnavailable
    return VendorRejected


def error_for_response(
    response: httpx.Response,
    *,
    profile: VendorProfile,
    secrets: Sequence[str] = (),
    attempts: int = 1,
    note: str = "",
) -> VendorError:
    """The VendorError for an error answer, carrying the vendor's own code and message."""
    status = response.status_code
    cls = error_class_for_status(status)
    fault = profile.decode_error(response) or VendorFault(code=None, message="")
    message = fault.message
    if not message:  # not the vendor's error shape: quote the start of the body, or the reason
        snippet = " ".join(response.text.split())[:200] if response.content else ""
        message = snippet or response.reason_phrase or "no details"
    detail = f"error {fault.code}: {message}" if fault.code else message
    if fault.more_info:
        detail += f" (see {fault.more_info})"
    request = response.request
    if cls is VendorAuthError:
        head = f"{profile.label} rejected the credentials"
    elif cls is VendorRateLimited:
        head = f"{profile.label} rate-limited the request"
    elif cls is VendorUnavailable:
        head = f"{profile.label} is unavailable"
    else:
        head = f"{profile.label} refused the request"
    message = f"{head}: {detail} [HTTP {status}, {_where(request)}{_attempts(attempts)}]"
    if note:
        message += f"; {note}"
    retry_after = parse_retry_after(response.headers.get("Retry-After"), now=time.time())
    return cls(scrub(message, secrets=secrets), vendor=profile.name, code=fault.code, status=status,
               retry_after=retry_after)


def error_for_exception(
    exc: httpx.HTTPError | httpx.InvalidURL,
    *,
    profile: VendorProfile,
    secrets: Sequence[str] = (),
    attempts: int = 1,
) -> VendorError:
    """The VendorError for an httpx exception raised before any answer arrived."""
    cls, what = map_exception(type(exc))
    where = ""
    if isinstance(exc, httpx.RequestError):
        try:
            where = f" [{_where(exc.request)}{_attempts(attempts)}]"
        except RuntimeError:  # the exception was raised without a request attached
            where = ""
    reason = str(exc) or type(exc).__name__
    message = f"{profile.label} {what}: {type(exc).__name__}: {reason}{where}"
    return cls(scrub(message, secrets=secrets), vendor=profile.name)


@dataclass
class Attempts:
    """What a `vendor_errors` block adds to its messages: how many attempts, and why it stopped."""

    count: int = 1
    note: str = ""


@contextmanager
def vendor_errors(profile: VendorProfile, *, secrets: Sequence[str] = ()) -> Iterator[Attempts]:
    """Translate httpx exceptions and error answers raised inside the block into VendorErrors.

    `raise_for_status()` inside the block becomes the VendorError for that status; any httpx
    exception becomes the one `EXCEPTION_MAP` names; both chain the original (`raise ... from`).
    VendorErrors pass through untouched. The yielded `Attempts` lets a retry loop say how many
    attempts a message covers and why it gave up.
    """
    attempts = Attempts()
    try:
        yield attempts
    except VendorError:
        raise
    except httpx.HTTPStatusError as exc:
        raise error_for_response(
            exc.response, profile=profile, secrets=secrets, attempts=attempts.count, note=attempts.note
        ) from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise error_for_exception(exc, profile=profile, secrets=secrets, attempts=attempts.count) from exc


def build_http_client(
    *,
    auth: httpx.Auth | None,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 10.0,
    headers: Mapping[str, str] | None = None,
) -> httpx.Client:
    """The one httpx.Client of a vendor credential: timeouts, no redirects, JSON by default."""
    return httpx.Client(
        auth=auth,
        transport=transport,
        verify=True if transport is not None else _tls_context(),
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        follow_redirects=False,
        headers={"User-Agent": f"smschannel/{__version__}", "Accept": "application/json", **(headers or {})},
    )


_TLS: list[ssl.SSLContext] = []
_TLS_LOCK = threading.Lock()


def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every vendor client of the process. Building one loads the CA
    bundle (about 50 ms): per client, that was most of the time of an inbound message's reply."""
    with _TLS_LOCK:
        if not _TLS:
            _TLS.append(httpx.create_ssl_context())
        return _TLS[0]


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token>`, kept out of reprs."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token='***')"


class VendorSession:
    """One vendor credential's HTTP access: pacing, retries, error translation, one httpx.Client."""

    def __init__(
        self,
        profile: VendorProfile,
        *,
        auth: httpx.Auth | None,
        secrets: Sequence[str],
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: Backoff = DEFAULT_BACKOFF,
        rate_limit_rps: float = 0.0,
        clock: Clock = SYSTEM_CLOCK,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if retries < 0:
            raise ValueError(f"retries must be 0 or more, got {retries}")
        self.profile = profile
        self.retries = retries
        self.backoff = backoff
        self.clock = clock
        self.limiter = RateLimiter(rate_limit_rps, clock=clock)
        self._secrets = tuple(s for s in secrets if s)
        self._client = build_http_client(auth=auth, transport=transport, timeout=timeout, headers=headers)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> VendorSession:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        data: Mapping[str, str] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send a request, retrying what is safe to retry; return the 2xx response or raise VendorError.

        `idempotent` defaults to True for GET, HEAD, OPTIONS, PUT and DELETE; pass True for a POST
        that only sets values (sending it twice does no harm).
        """
        method = method.upper()
        safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        with vendor_errors(self.profile, secrets=self._secrets) as attempts:
            for attempt in range(1, self.retries + 2):
                attempts.count = attempt
                last = attempt > self.retries
                self.limiter.acquire()
                try:
                    response = self._client.request(method, url, params=params, data=data, json=json)
                except httpx.TransportError as exc:
                    retryable = isinstance(exc, _NOT_SENT) or (safe and isinstance(exc, _MAYBE_SENT))
                    if last or not retryable:
                        raise
                    self._pause(type(exc).__name__, method, url, attempt, None)
                    continue
                if response.is_success:
                    return response
                pause, note = (None, "") if last else self._retry_wait(response, attempt, safe)
                if pause is None:
                    response.read()
                    attempts.note = note
                    if response.is_error:
                        response.raise_for_status()  # vendor_errors turns it into the VendorError
                    raise error_for_response(  # 1xx/3xx: not an httpx error, not an answer either
                        response, profile=self.profile, secrets=self._secrets, attempts=attempt
                    )
                response.close()
                self._pause(f"HTTP {response.status_code}", method, url, attempt, pause)
        raise AssertionError("unreachable")  # pragma: no cover

    def json(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        """`request()` and decode a JSON object body."""
        response = self.request(method, url, **kwargs)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            where = f"{method.upper()} {self._path(url)}"
            raise VendorUnavailable(
                f"{self.profile.label} answered {where} with a body that is not a JSON object",
                vendor=self.profile.name,
                status=response.status_code,
            )
        return body

    def _retry_wait(self, response: httpx.Response, attempt: int, safe: bool) -> tuple[float | None, str]:
        """How long to wait before retrying this answer, or None (with the reason) not to retry."""
        status = response.status_code
        if not (status in _NOT_ACTED_STATUSES or (safe and status in (500, 502, 504))):
            return None, ""
        wait = self.backoff.delay(attempt - 1, self.clock.jitter())
        asked = parse_retry_after(response.headers.get("Retry-After"), now=self.clock.wall())
        if asked is not None:
            if asked > self.backoff.retry_after_max:
                return None, (
                    f"it asks to retry after {asked:.0f} s, longer than the"
                    f" {self.backoff.retry_after_max:.0f} s smschannel waits; try again later"
                )
            wait = max(wait, asked)
        return wait, ""

    def _pause(self, reason: str, method: str, url: str, attempt: int, wait: float | None) -> None:
        if wait is None:
            wait = self.backoff.delay(attempt - 1, self.clock.jitter())
        logger.info(
            "%s: %s on %s %s; retrying in %.1f s (attempt %d of %d)",
            self.profile.label, reason, method, self._path(url), wait, attempt + 1, self.retries + 1,
        )  # fmt: skip
        self.clock.sleep(wait)

    @staticmethod
    def _path(url: str) -> str:
        return httpx.URL(url).path


class VendorClient(ABC):
    """What every vendor client shares: its `VendorSession`, `close()`, use as a context manager, and
    `verify()`, the vendor's cheapest read-only call that proves the credentials work."""

    _session: VendorSession

    @abstractmethod
    def verify(self) -> object: ...

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
