"""SinchClient against the local Sinch over real HTTP on loopback, and its regional URLs."""

from __future__ import annotations

import httpx
import pytest

from smschannel.emulators import Fault
from smschannel.errors import VendorAuthError, VendorRejected, VendorUnavailable
from smschannel.providers.sinch import SINCH_REGIONS, SinchClient, sinch_base_url
from tests.providers.support import FakeClock, SinchWorld

WRONG_TOKEN = "0badc0ffee0badc0ffee0badc0ffee00"


def test_verify_lists_one_batch_of_the_plan(sinch: SinchWorld) -> None:
    client = sinch.client()
    first = client.verify()
    assert (first.page, first.count) == (0, 0)
    client.send_batch(sinch.facts["phone_numbers"][0], to=["+15005550006"], body="Hello")
    second = client.verify()
    assert (second.page, second.page_size, second.count) == (0, 1, 1)
    assert [e.query for e in sinch.state.control.journal.entries() if e.method == "GET"] == [
        "page_size=1"
    ] * 2


def test_a_wrong_token_is_an_auth_error_with_sinchs_code_and_never_the_token(sinch: SinchWorld) -> None:
    client = sinch.client(api_token=WRONG_TOKEN)
    with pytest.raises(VendorAuthError) as caught:
        client.verify()
    error = caught.value
    assert (error.vendor, error.code, error.status) == ("sinch", "unauthorized", 401)
    plan = sinch.facts["service_plan_id"]
    assert str(error) == (
        f"Sinch rejected the credentials: error unauthorized: Unauthorized"
        f" [HTTP 401, GET {sinch.url}/xms/v1/{plan}/batches]"
    )
    for text in (str(error), repr(error), repr(client)):
        assert WRONG_TOKEN not in text
    assert repr(client) == f"SinchClient(service_plan_id='{plan}', api_token='***', base_url='{sinch.url}')"


def test_an_unknown_service_plan_is_an_auth_error(sinch: SinchWorld) -> None:
    client = SinchClient("f" * 32, sinch.facts["api_token"], base_url=sinch.url)
    with client, pytest.raises(VendorAuthError, match="error unauthorized"):
        client.verify()


def test_send_batch_returns_the_batch_and_lands_in_the_outbox(sinch: SinchWorld) -> None:
    batch = sinch.client().send_batch("+14155550150", to=["+15005550006", "+15005550007"], body="Reply STOP")
    assert len(batch.id) == 26 and batch.id.isalnum()
    assert (batch.from_, batch.to, batch.body, batch.canceled) == (
        "+14155550150",
        ("+15005550006", "+15005550007"),
        "Reply STOP",
        False,
    )
    outbox = httpx.get(f"{sinch.url}/_emulator/outbox").json()["messages"]
    assert [(m["id"], m["to"], m["service_plan_id"]) for m in outbox] == [
        (batch.id, ["+15005550006", "+15005550007"], sinch.facts["service_plan_id"])
    ]


def test_send_batch_needs_a_recipient(sinch: SinchWorld) -> None:
    with pytest.raises(ValueError, match="send_batch needs at least one recipient in to"):
        sinch.client().send_batch("+14155550150", to=[], body="x")


def test_a_refused_batch_carries_sinchs_code() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400,
            json={
                "code": "syntax_invalid_parameter_format",
                "text": "The format of parameter 'to[0]' is invalid",
            },
        )

    client = SinchClient("p" * 32, WRONG_TOKEN, transport=httpx.MockTransport(handler))
    with client, pytest.raises(VendorRejected) as caught:
        client.send_batch("+14155550150", to=["+1"], body="x")
    assert caught.value.code == "syntax_invalid_parameter_format"
    assert "error syntax_invalid_parameter_format: The format of parameter 'to[0]' is invalid" in str(
        caught.value
    )


def test_an_auth_error_without_a_json_body_still_reads_well() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text="Forbidden")

    client = SinchClient("p" * 32, WRONG_TOKEN, transport=httpx.MockTransport(handler))
    with client, pytest.raises(VendorAuthError) as caught:
        client.verify()
    assert str(caught.value).startswith(
        "Sinch rejected the credentials: Forbidden [HTTP 403, GET https://us.sms"
    )
    assert caught.value.code is None


def test_503_then_success_is_retried(sinch: SinchWorld, fake_clock: FakeClock) -> None:
    sinch.state.control.faults.add(Fault(status=503, retry_after="2"))
    assert sinch.client(clock=fake_clock.clock()).verify().count == 0
    assert fake_clock.sleeps == [2.0]


def test_503_exhausting_the_retries_is_unavailable(sinch: SinchWorld, fake_clock: FakeClock) -> None:
    sinch.state.control.faults.add(Fault(status=503), count=5)
    with pytest.raises(VendorUnavailable) as caught:
        sinch.client(clock=fake_clock.clock(), retries=1).verify()
    assert (caught.value.code, caught.value.status) == ("service_unavailable", 503)
    assert len(sinch.state.control.journal.entries()) == 2


def test_a_timeout_is_unavailable(sinch: SinchWorld, fake_clock: FakeClock) -> None:
    sinch.state.control.faults.add(Fault(status=None, delay=0.4))
    with pytest.raises(VendorUnavailable, match="Sinch did not answer in time: ReadTimeout"):
        sinch.client(clock=fake_clock.clock(), timeout=0.1, retries=0).verify()


@pytest.mark.parametrize("region", SINCH_REGIONS)
def test_each_region_has_its_own_host(region: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"page": 0, "page_size": 0, "count": 0, "batches": []})

    with SinchClient("plan1", "t" * 32, region=region, transport=httpx.MockTransport(handler)) as client:
        assert client.base_url == f"https://{region}.sms.api.sinch.com" == sinch_base_url(region)
        client.verify()
    request = seen[0]
    assert str(request.url) == f"https://{region}.sms.api.sinch.com/xms/v1/plan1/batches?page_size=1"
    assert request.headers["Authorization"] == f"Bearer {'t' * 32}"


def test_base_url_overrides_the_region() -> None:
    with SinchClient("plan1", "t", region="eu", base_url="http://127.0.0.1:9/") as client:
        assert client.base_url == "http://127.0.0.1:9"


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="Sinch region must be one of us, eu, au, br, ca, got 'de'"):
        SinchClient("plan1", "t", region="de")
