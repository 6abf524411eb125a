"""TwilioClient against the local Twilio over real HTTP on loopback."""

from __future__ import annotations

import base64
import socket
import time

import httpx
import pytest

from smschannel.emulators import Fault
from smschannel.errors import VendorAuthError, VendorRateLimited, VendorRejected, VendorUnavailable
from smschannel.providers.twilio import TwilioClient, TwilioServiceInbound, TwilioSmsWebhook
from tests.providers.support import FakeClock, TwilioWorld

WRONG_TOKEN = "0badc0ffee0badc0ffee0badc0ffee00"


def test_verify_returns_the_account_and_not_its_token(twilio: TwilioWorld) -> None:
    account = twilio.client().verify()
    assert (account.sid, account.friendly_name, account.status, account.type) == (
        twilio.facts["account_sid"],
        "smschannel demo",
        "active",
        "Full",
    )
    assert twilio.facts["auth_token"] not in repr(account)


def test_a_wrong_token_is_an_auth_error_with_twilios_code_and_never_the_token(twilio: TwilioWorld) -> None:
    client = twilio.client(auth_token=WRONG_TOKEN)
    with pytest.raises(VendorAuthError) as caught:
        client.verify()
    error = caught.value
    assert (error.vendor, error.code, error.status) == ("twilio", "20003", 401)
    assert str(error) == (
        "Twilio rejected the credentials: error 20003: Authenticate (see https://www.twilio.com/docs/errors/20003)"
        f" [HTTP 401, GET {twilio.url}/2010-04-01/Accounts/{twilio.facts['account_sid']}.json]"
    )
    for text in (str(error), repr(error), repr(error.args), repr(client), str(error.__cause__)):
        assert WRONG_TOKEN not in text
    sid = twilio.facts["account_sid"]
    assert repr(client) == f"TwilioClient(account_sid='{sid}', auth_token='***', base_url='{twilio.url}')"


def test_a_token_of_another_account_is_refused(twilio: TwilioWorld) -> None:
    other = twilio.state.add_account("other")
    client = TwilioClient(other.sid, twilio.facts["auth_token"], base_url=twilio.url)
    with client, pytest.raises(VendorAuthError, match="error 20003: Authenticate"):
        client.verify()


def test_incoming_numbers_follow_every_page(twilio: TwilioWorld) -> None:
    added = [f"+1415555012{i}" for i in range(5)]
    for number in added:
        twilio.state.add_number(twilio.facts["account_sid"], phone_number=number)
    twilio.state.control.journal.clear()
    numbers = twilio.client().incoming_numbers(page_size=2)
    assert [n.phone_number for n in numbers] == [*twilio.facts["phone_numbers"], *added]
    calls = twilio.state.control.journal.entries()
    assert len(calls) == 4
    assert calls[0].query == "PageSize=2"
    assert all("PageToken=PA" in call.query for call in calls[1:])


def test_incoming_numbers_filter_by_phone_number(twilio: TwilioWorld) -> None:
    numbers = twilio.client().incoming_numbers(phone_number="+14155550101")
    assert [(n.sid, n.phone_number, n.friendly_name) for n in numbers] == [
        (twilio.facts["number_sids"][1], "+14155550101", "(415) 555-0101")
    ]


def test_messaging_service_numbers_follow_every_page(twilio: TwilioWorld) -> None:
    service = twilio.state.services[twilio.facts["messaging_service_sid"]]
    extra = [
        twilio.state.add_number(twilio.facts["account_sid"], phone_number=f"+1415555013{i}") for i in range(2)
    ]
    service.number_sids.extend(n.sid for n in extra)
    numbers = twilio.client().messaging_service_numbers(service.sid, page_size=1)
    assert [n.phone_number for n in numbers] == ["+14155550101", "+14155550130", "+14155550131"]
    assert {n.service_sid for n in numbers} == {service.sid}


@pytest.mark.parametrize(
    ("number", "in_service", "owned"),
    [
        ("+14155550100", False, True),
        ("+14155550101", False, True),
        ("+14155550199", False, False),
        ("+14155550101", True, True),
        ("+14155550100", True, False),
        ("+14155550199", True, False),
    ],
)
def test_owns_sender(twilio: TwilioWorld, number: str, in_service: bool, owned: bool) -> None:
    service = twilio.facts["messaging_service_sid"] if in_service else None
    assert twilio.client().owns_sender(number, messaging_service_sid=service) is owned


def test_owns_sender_does_not_count_another_accounts_number(twilio: TwilioWorld) -> None:
    other = twilio.state.add_account("other")
    twilio.state.add_number(other.sid, phone_number="+14155550177")
    assert twilio.client().owns_sender("+14155550177") is False


def test_an_unknown_messaging_service_is_an_error_not_a_no(twilio: TwilioWorld) -> None:
    unknown = "MG" + "0" * 32
    with pytest.raises(VendorRejected) as caught:
        twilio.client().owns_sender("+14155550101", messaging_service_sid=unknown)
    assert (caught.value.code, caught.value.status) == ("20404", 404)
    assert f"error 20404: The requested resource /v1/Services/{unknown}/PhoneNumbers was not found" in str(
        caught.value
    )


def test_update_number_sms_url_returns_what_it_replaced(twilio: TwilioWorld) -> None:
    client, sid = twilio.client(), twilio.facts["number_sids"][0]
    first = client.update_number_sms_url(sid, sms_url="https://registry.example/inbound/a")
    assert first == TwilioSmsWebhook(sms_url="", sms_method="POST")
    second = client.update_number_sms_url(sid, sms_url="https://registry.example/inbound/b", sms_method="GET")
    assert second == TwilioSmsWebhook(sms_url="https://registry.example/inbound/a", sms_method="POST")
    restored = client.update_number_sms_url(sid, sms_url=first.sms_url, sms_method=first.sms_method)
    assert restored.sms_url == "https://registry.example/inbound/b"
    number = twilio.state.numbers[sid]
    assert (number.sms_url, number.sms_method) == ("", "POST")


def test_update_messaging_service_inbound_returns_what_it_replaced(twilio: TwilioWorld) -> None:
    client, sid = twilio.client(), twilio.facts["messaging_service_sid"]
    before = client.update_messaging_service_inbound(
        sid, url="https://registry.example/inbound/mg", use_inbound_webhook_on_number=False
    )
    assert before == TwilioServiceInbound(
        inbound_request_url=None, inbound_method="POST", use_inbound_webhook_on_number=False
    )
    service = client.messaging_service(sid)
    assert service.inbound_request_url == "https://registry.example/inbound/mg"
    client.update_messaging_service_inbound(sid, url=before.inbound_request_url)
    assert twilio.state.services[sid].inbound_request_url is None


def test_send_message_from_a_number_and_through_a_service(twilio: TwilioWorld) -> None:
    client = twilio.client()
    sent = client.send_message("+15005550006", body="Reply STOP to opt out", from_="+14155550100")
    assert (sent.status, sent.to, sent.from_, sent.messaging_service_sid) == (
        "queued",
        "+15005550006",
        "+14155550100",
        None,
    )
    assert sent.sid.startswith("SM") and len(sent.sid) == 34
    via = client.send_message(
        "+15005550006", body="Hi", messaging_service_sid=twilio.facts["messaging_service_sid"]
    )
    assert (via.status, via.from_, via.messaging_service_sid) == (
        "accepted",
        None,
        twilio.facts["messaging_service_sid"],
    )
    outbox = httpx.get(f"{twilio.url}/_emulator/outbox").json()["messages"]
    assert [(m["to"], m["from"], m["body"]) for m in outbox] == [
        ("+15005550006", "+14155550100", "Reply STOP to opt out"),
        ("+15005550006", None, "Hi"),
    ]


@pytest.mark.parametrize("senders", [{}, {"from_": "+14155550100", "messaging_service_sid": "MG" + "1" * 32}])
def test_send_message_needs_exactly_one_sender(twilio: TwilioWorld, senders: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="send_message needs exactly one of from_ and messaging_service_sid"):
        twilio.client().send_message("+15005550006", body="Hi", **senders)


def test_sending_from_a_number_the_account_lacks_is_refused_with_twilios_code(twilio: TwilioWorld) -> None:
    with pytest.raises(VendorRejected) as caught:
        twilio.client().send_message("+15005550006", body="Hi", from_="+15005550009")
    assert caught.value.code == "21606"
    assert "The From phone number +15005550009 is not a valid, SMS-capable inbound phone number" in str(
        caught.value
    )


def test_429_with_retry_after_is_waited_out_then_succeeds(twilio: TwilioWorld, fake_clock: FakeClock) -> None:
    twilio.state.control.faults.add(Fault(status=429, retry_after="1"))
    account = twilio.client(clock=fake_clock.clock()).verify()
    assert account.sid == twilio.facts["account_sid"]
    assert fake_clock.sleeps == [1.0]
    assert len(twilio.state.control.journal.entries()) == 2


def test_429_on_every_attempt_is_rate_limited(twilio: TwilioWorld, fake_clock: FakeClock) -> None:
    twilio.state.control.faults.add(Fault(status=429, retry_after="2"), count=10)
    with pytest.raises(VendorRateLimited) as caught:
        twilio.client(clock=fake_clock.clock(), retries=2).verify()
    assert caught.value.code == "20429"
    assert fake_clock.sleeps == [2.0, 2.0]


def test_503_exhausting_the_retries_is_unavailable(twilio: TwilioWorld, fake_clock: FakeClock) -> None:
    twilio.state.control.faults.add(Fault(status=503), count=10)
    with pytest.raises(VendorUnavailable) as caught:
        twilio.client(clock=fake_clock.clock(), retries=2).incoming_numbers()
    assert (caught.value.code, caught.value.status) == ("20503", 503)
    assert str(caught.value).endswith("IncomingPhoneNumbers.json after 3 attempts]")
    assert len(twilio.state.control.journal.entries()) == 3
    assert len(fake_clock.sleeps) == 2


def test_a_timeout_is_unavailable(twilio: TwilioWorld, fake_clock: FakeClock) -> None:
    twilio.state.control.faults.add(Fault(status=None, delay=0.5))
    with pytest.raises(VendorUnavailable) as caught:
        twilio.client(clock=fake_clock.clock(), timeout=0.1, retries=0).verify()
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert str(caught.value).startswith("Twilio did not answer in time: ReadTimeout")


def test_a_timed_out_read_is_retried(twilio: TwilioWorld, fake_clock: FakeClock) -> None:
    twilio.state.control.faults.add(Fault(status=None, delay=0.5))
    assert twilio.client(clock=fake_clock.clock(), timeout=0.1, retries=1).verify().status == "active"
    assert len(fake_clock.sleeps) == 1


def test_a_timed_out_send_is_not_sent_twice(twilio: TwilioWorld, fake_clock: FakeClock) -> None:
    twilio.state.control.faults.add(Fault(status=None, delay=0.3))
    client = twilio.client(clock=fake_clock.clock(), timeout=0.1, retries=3)
    with pytest.raises(VendorUnavailable):
        client.send_message("+15005550006", body="once", from_="+14155550100")
    deadline = time.monotonic() + 5
    while not twilio.state.outbox and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [m.body for m in twilio.state.outbox] == ["once"]
    assert [e.method for e in twilio.state.control.journal.entries()] == ["POST"]


def test_a_refused_connection_is_retried_then_unavailable(fake_clock: FakeClock) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    client = TwilioClient("AC" + "1" * 32, WRONG_TOKEN, base_url=url, clock=fake_clock.clock(), retries=2)
    with client, pytest.raises(VendorUnavailable) as caught:
        client.verify()
    assert str(caught.value).startswith("Twilio could not be reached: ConnectError")
    assert "after 3 attempts" in str(caught.value)
    assert len(fake_clock.sleeps) == 2
    assert WRONG_TOKEN not in str(caught.value)


def test_the_client_paces_its_calls(twilio: TwilioWorld, fake_clock: FakeClock) -> None:
    client = twilio.client(clock=fake_clock.clock(), rate_limit_rps=5)
    for _ in range(3):
        client.verify()
    assert fake_clock.sleeps == pytest.approx([0.2, 0.2])


def test_a_next_page_link_to_another_host_stays_on_the_configured_one() -> None:
    """Credentials go only where the client was pointed, whatever a response links to."""
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        if "PageToken" in request.url.query.decode():
            return httpx.Response(200, json={"phone_numbers": [], "meta": {"next_page_url": None}})
        link = "https://elsewhere.example/v1/Services/MG1/PhoneNumbers?PageSize=1&Page=1&PageToken=PAx"
        return httpx.Response(200, json={"phone_numbers": [], "meta": {"next_page_url": link}})

    with TwilioClient("AC" + "1" * 32, WRONG_TOKEN, transport=httpx.MockTransport(handler)) as client:
        assert client.messaging_service_numbers("MG1") == []
    assert hosts == ["messaging.twilio.com", "messaging.twilio.com"]


def test_requests_are_form_encoded_with_basic_auth() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"sid": "PN1", "sms_url": "", "sms_method": "POST"})

    with TwilioClient("AC" + "1" * 32, "t" * 32, transport=httpx.MockTransport(handler)) as client:
        client.update_number_sms_url("PN1", sms_url="https://registry.example/in?a=1")
    update = seen[1]
    assert update.method == "POST"
    assert update.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert update.content == b"SmsUrl=https%3A%2F%2Fregistry.example%2Fin%3Fa%3D1&SmsMethod=POST"
    credentials = base64.b64encode(f"AC{'1' * 32}:{'t' * 32}".encode()).decode()
    assert update.headers["Authorization"] == f"Basic {credentials}"
    fetch = seen[0]
    assert (fetch.method, fetch.url.path) == (
        "GET",
        f"/2010-04-01/Accounts/AC{'1' * 32}/IncomingPhoneNumbers/PN1.json",
    )
