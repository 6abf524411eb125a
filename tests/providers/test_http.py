"""The shared vendor HTTP layer: Retry-After, backoff, pacing and what gets retried (no network)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from email.utils import formatdate

import httpx
import pytest

from smschannel.errors import (
    VendorAuthError,
    VendorError,
    VendorRateLimited,
    VendorRejected,
    VendorUnavailable,
)
from smschannel.providers.http import Backoff, RateLimiter, VendorFault, VendorProfile, VendorSession
from smschannel.providers.http import parse_retry_after as retry_after
from tests.providers.support import FakeClock

NOW = 1_700_000_000.0
PROFILE = VendorProfile(
    name="acme", label="Acme", decode_error=lambda r: VendorFault(code=None, message=r.text)
)
URL = "https://api.acme.example/v1/things"
SECRET = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("1", 1.0),
        (" 120 ", 120.0),
        ("0", 0.0),
        (formatdate(NOW + 30, usegmt=True), 30.0),
        (formatdate(NOW - 30, usegmt=True), 0.0),
        (None, None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(header: str | None, seconds: float | None) -> None:
    assert retry_after(header, now=NOW) == seconds


def test_backoff_doubles_up_to_its_maximum_with_jitter_in_the_upper_half() -> None:
    backoff = Backoff(initial=0.5, maximum=4.0)
    assert [backoff.delay(retry, 0.0) for retry in range(5)] == [0.25, 0.5, 1.0, 2.0, 2.0]
    assert [backoff.delay(retry, 0.999) for retry in range(5)] == pytest.approx(
        [0.5, 1.0, 2.0, 4.0, 4.0], abs=0.01
    )


def test_the_rate_limiter_spaces_calls(fake_clock: FakeClock) -> None:
    limiter = RateLimiter(4.0, clock=fake_clock.clock())
    waits = [limiter.acquire() for _ in range(4)]
    assert waits == [0.0, 0.25, 0.25, 0.25]
    assert fake_clock.sleeps == [0.25, 0.25, 0.25]


def test_the_rate_limiter_does_not_wait_when_calls_are_already_slow(fake_clock: FakeClock) -> None:
    limiter = RateLimiter(2.0, clock=fake_clock.clock())
    limiter.acquire()
    fake_clock.now += 10
    assert limiter.acquire() == 0.0
    assert fake_clock.sleeps == []


def test_zero_means_unlimited(fake_clock: FakeClock) -> None:
    limiter = RateLimiter(0, clock=fake_clock.clock())
    assert [limiter.acquire() for _ in range(100)] == [0.0] * 100
    assert fake_clock.sleeps == []


def test_a_negative_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="rate_limit_rps must be 0 \\(unlimited\\) or more, got -1"):
        RateLimiter(-1)


Handler = Callable[[httpx.Request], httpx.Response]


def session(
    handler: Handler, clock: FakeClock, *, retries: int = 3, rate_limit_rps: float = 0.0
) -> VendorSession:
    return VendorSession(
        PROFILE,
        auth=None,
        secrets=(SECRET,),
        transport=httpx.MockTransport(handler),
        retries=retries,
        backoff=Backoff(initial=0.5, maximum=8.0, retry_after_max=30.0),
        rate_limit_rps=rate_limit_rps,
        clock=clock.clock(),
    )


def scripted(*answers: httpx.Response | type[Exception]) -> tuple[Handler, list[httpx.Request]]:
    """A handler giving `answers` in order (an exception class is raised), and the requests seen."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = answers[min(len(seen), len(answers)) - 1]
        if isinstance(answer, type):
            raise answer("simulated", request=request)  # type: ignore[call-arg]  # httpx RequestError subclasses
        return answer

    return handler, seen


def test_429_with_retry_after_waits_as_asked_then_succeeds(fake_clock: FakeClock) -> None:
    handler, seen = scripted(
        httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200, json={"ok": 1})
    )
    with session(handler, fake_clock) as vendor:
        assert vendor.json("GET", URL) == {"ok": 1}
    assert len(seen) == 2
    assert fake_clock.sleeps == [3.0]


def test_retry_after_as_an_http_date_is_honoured(fake_clock: FakeClock) -> None:
    when = formatdate(fake_clock.wall_now + 7, usegmt=True)
    handler, seen = scripted(httpx.Response(503, headers={"Retry-After": when}), httpx.Response(200, json={}))
    with session(handler, fake_clock) as vendor:
        vendor.request("GET", URL)
    assert len(seen) == 2
    assert fake_clock.sleeps == [7.0]


def test_a_short_retry_after_never_shortens_the_backoff(fake_clock: FakeClock) -> None:
    handler, _ = scripted(
        httpx.Response(429, headers={"Retry-After": "0"}),
        httpx.Response(429, headers={"Retry-After": "0"}),
        httpx.Response(200, json={}),
    )
    with session(handler, fake_clock) as vendor:
        vendor.request("GET", URL)
    assert fake_clock.sleeps == [0.25, 0.5]


def test_a_retry_after_beyond_the_cap_stops_at_once(fake_clock: FakeClock) -> None:
    handler, seen = scripted(httpx.Response(429, headers={"Retry-After": "3600"}, text="slow down"))
    with session(handler, fake_clock) as vendor, pytest.raises(VendorRateLimited) as caught:
        vendor.request("GET", URL)
    assert len(seen) == 1 and fake_clock.sleeps == []
    assert str(caught.value) == (
        "Acme rate-limited the request: slow down [HTTP 429, GET https://api.acme.example/v1/things];"
        " it asks to retry after 3600 s, longer than the 30 s smschannel waits; try again later"
    )


def test_429_without_retry_after_backs_off_then_gives_up(fake_clock: FakeClock) -> None:
    handler, seen = scripted(httpx.Response(429, text="too many"))
    with session(handler, fake_clock) as vendor, pytest.raises(VendorRateLimited) as caught:
        vendor.request("GET", URL)
    assert len(seen) == 4
    assert fake_clock.sleeps == [0.25, 0.5, 1.0]
    assert str(caught.value).endswith("[HTTP 429, GET https://api.acme.example/v1/things after 4 attempts]")
    assert caught.value.status == 429


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_on_reads_are_retried(fake_clock: FakeClock, status: int) -> None:
    handler, seen = scripted(httpx.Response(status), httpx.Response(200, json={}))
    with session(handler, fake_clock) as vendor:
        vendor.request("GET", URL)
    assert len(seen) == 2


@pytest.mark.parametrize("status", [500, 502, 504])
def test_server_errors_on_a_create_are_not_retried(fake_clock: FakeClock, status: int) -> None:
    """The vendor may have acted before failing: a retry could send the message twice."""
    handler, seen = scripted(httpx.Response(status), httpx.Response(201, json={}))
    with session(handler, fake_clock) as vendor, pytest.raises(VendorUnavailable):
        vendor.request("POST", URL, json={"body": "hi"})
    assert len(seen) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_answers_that_say_nothing_was_done_are_retried_even_for_a_create(
    fake_clock: FakeClock, status: int
) -> None:
    handler, seen = scripted(httpx.Response(status), httpx.Response(201, json={}))
    with session(handler, fake_clock) as vendor:
        vendor.request("POST", URL, json={"body": "hi"})
    assert len(seen) == 2


def test_a_post_declared_idempotent_is_retried_like_a_read(fake_clock: FakeClock) -> None:
    handler, seen = scripted(httpx.Response(500), httpx.ReadTimeout, httpx.Response(200, json={}))
    with session(handler, fake_clock) as vendor:
        vendor.request("POST", URL, data={"SmsUrl": "https://x.example"}, idempotent=True)
    assert len(seen) == 3


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_failures_before_sending_are_retried_for_any_method(
    fake_clock: FakeClock, failure: type[Exception]
) -> None:
    handler, seen = scripted(failure, httpx.Response(201, json={}))
    with session(handler, fake_clock) as vendor:
        vendor.request("POST", URL, json={})
    assert len(seen) == 2


@pytest.mark.parametrize(
    "failure", [httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.RemoteProtocolError]
)
def test_failures_after_sending_are_retried_only_for_idempotent_calls(
    fake_clock: FakeClock, failure: type[Exception]
) -> None:
    handler, seen = scripted(failure, httpx.Response(200, json={}))
    with session(handler, fake_clock) as vendor:
        vendor.request("GET", URL)
    assert len(seen) == 2
    handler, seen = scripted(failure, httpx.Response(201, json={}))
    with session(handler, fake_clock) as vendor, pytest.raises(VendorUnavailable) as caught:
        vendor.request("POST", URL, json={})
    assert len(seen) == 1
    assert isinstance(caught.value.__cause__, failure)


def test_timeouts_exhausting_the_retries_are_unavailable(fake_clock: FakeClock) -> None:
    handler, seen = scripted(httpx.ReadTimeout)
    with session(handler, fake_clock, retries=2) as vendor, pytest.raises(VendorUnavailable) as caught:
        vendor.request("GET", URL)
    assert len(seen) == 3
    assert str(caught.value) == (
        "Acme did not answer in time: ReadTimeout: simulated"
        " [GET https://api.acme.example/v1/things after 3 attempts]"
    )


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, VendorRejected),
        (401, VendorAuthError),
        (403, VendorAuthError),
        (404, VendorRejected),
        (409, VendorRejected),
    ],
)
def test_client_errors_are_never_retried(
    fake_clock: FakeClock, status: int, error: type[VendorError]
) -> None:
    handler, seen = scripted(httpx.Response(status, text="no"))
    with session(handler, fake_clock) as vendor, pytest.raises(error):
        vendor.request("GET", URL)
    assert len(seen) == 1 and fake_clock.sleeps == []


def test_no_retries_means_one_attempt(fake_clock: FakeClock) -> None:
    handler, seen = scripted(httpx.Response(503))
    with session(handler, fake_clock, retries=0) as vendor, pytest.raises(VendorUnavailable):
        vendor.request("GET", URL)
    assert len(seen) == 1


def test_negative_retries_are_refused() -> None:
    with pytest.raises(ValueError, match="retries must be 0 or more, got -1"):
        VendorSession(PROFILE, auth=None, secrets=(), retries=-1)


def test_the_session_paces_its_calls(fake_clock: FakeClock) -> None:
    handler, seen = scripted(httpx.Response(200, json={}))
    with session(handler, fake_clock, rate_limit_rps=2.0) as vendor:
        for _ in range(3):
            vendor.request("GET", URL)
    assert len(seen) == 3
    assert fake_clock.sleeps == [0.5, 0.5]


def test_retries_are_logged_without_secrets(fake_clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    handler, _ = scripted(httpx.Response(503), httpx.Response(200, json={}))
    with caplog.at_level(logging.INFO, logger="smschannel.vendors"), session(handler, fake_clock) as vendor:
        vendor.request("GET", f"{URL}?token={SECRET}")
    assert caplog.messages == ["Acme: HTTP 503 on GET /v1/things; retrying in 0.2 s (attempt 2 of 4)"]


def test_a_success_that_is_not_a_json_object_is_a_vendor_error(fake_clock: FakeClock) -> None:
    handler, _ = scripted(httpx.Response(200, text="<html>maintenance</html>"))
    with session(handler, fake_clock) as vendor, pytest.raises(VendorUnavailable) as caught:
        vendor.json("GET", URL)
    assert str(caught.value) == "Acme answered GET /v1/things with a body that is not a JSON object"


def test_a_redirect_is_not_followed_and_is_refused(fake_clock: FakeClock) -> None:
    """Following it could send the credentials to another host."""
    handler, seen = scripted(httpx.Response(302, headers={"Location": "https://elsewhere.example/"}))
    with session(handler, fake_clock) as vendor, pytest.raises(VendorRejected) as caught:
        vendor.request("GET", URL)
    assert len(seen) == 1
    assert str(caught.value).startswith("Acme refused the request: Found [HTTP 302, GET")


def test_an_error_answer_is_chained_to_httpx_status_error(fake_clock: FakeClock) -> None:
    handler, _ = scripted(httpx.Response(404, text="no such thing"))
    with session(handler, fake_clock) as vendor, pytest.raises(VendorRejected) as caught:
        vendor.request("GET", URL)
    assert isinstance(caught.value.__cause__, httpx.HTTPStatusError)
    assert (caught.value.status, str(caught.value)) == (
        404,
        "Acme refused the request: no such thing [HTTP 404, GET https://api.acme.example/v1/things]",
    )
