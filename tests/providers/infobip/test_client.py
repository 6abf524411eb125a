"""InfobipClient against the local Infobip over real HTTP on loopback, and its base-URL rules."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from smschannel.emulators import Fault
from smschannel.errors import VendorAuthError, VendorRateLimited, VendorRejected, VendorUnavailable
from smschannel.providers.infobip import InfobipClient
from smschannel.providers.infobip.client import infobip_base_url
from tests.providers.support import FakeClock
from tests.providers.vendor_worlds import InfobipWorld, run_infobip

WRONG_KEY = "0badc0ffee0badc0ffee0badc0ffee00-8f4b3d9a-e931-478d-a994-28a725159ab9"
CONFIGURATIONS = "/resource-management/1/inbound-message-configurations"
INBOUND_URL = "https://registry.example/inbound/infobip/1"
KEY = "003026bbc133714df1834b8638bb496e-8f4b3d9a-e931-478d-a994-28a725159ab9"  # the docs' example shape


@pytest.fixture
def infobip() -> Iterator[InfobipWorld]:
    yield from run_infobip()


class LosingTransport(httpx.BaseTransport):
    """Sends every request, but loses the answer of the first POST (`deliver`: whether it got there)."""

    def __init__(self, *, deliver: bool) -> None:
        self.inner = httpx.HTTPTransport()
        self.deliver = deliver
        self.posts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.posts += 1
            if self.posts == 1:
                if self.deliver:
                    self.inner.handle_request(request).close()
                raise httpx.ReadTimeout("timed out", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


# -- verify ------------------------------------------------------------------------------------


def test_verify_reads_the_balance_with_the_app_key(infobip: InfobipWorld) -> None:
    balance = infobip.client().verify()
    assert (balance.balance, balance.currency) == (47.5, "EUR")
    assert [(e.method, e.path) for e in infobip.state.control.journal.entries()] == [("GET", "/account/1/balance")]


def test_a_wrong_key_is_an_auth_error_with_infobips_code_and_never_the_key(infobip: InfobipWorld) -> None:
    client = infobip.client(api_key=WRONG_KEY)
    with pytest.raises(VendorAuthError) as caught:
        client.verify()
    error = caught.value
    assert (error.vendor, error.code, error.status) == ("infobip", "UNAUTHORIZED", 401)
    assert str(error) == (
        "Infobip rejected the credentials: error UNAUTHORIZED: Invalid login details"
        f" [HTTP 401, GET {infobip.url}/account/1/balance]"
    )
    for text in (str(error), repr(error), repr(client), str(error.__cause__)):
        assert WRONG_KEY not in text
    assert repr(client) == f"InfobipClient(base_url='{infobip.url}', api_key='***')"


def test_the_key_is_sent_as_app_and_never_shown() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"balance": 1, "currency": "USD"})

    with InfobipClient("abcd12.api.infobip.com", "k3y", transport=httpx.MockTransport(handler)) as client:
        assert client.verify().balance == 1.0
        assert "k3y" not in repr(client) and "k3y" not in repr(vars(client))
    assert str(seen[0].url) == "https://abcd12.api.infobip.com/account/1/balance"
    assert seen[0].headers["Authorization"] == "App k3y"


# -- numbers -----------------------------------------------------------------------------------


def test_numbers_follow_every_page(infobip: InfobipWorld) -> None:
    account_id = next(iter(infobip.state.accounts.values())).id
    added = [f"+1415555018{i}" for i in range(3)]
    for number in added:
        infobip.state.add_number(account_id, number=number)
    numbers = infobip.client().numbers(page_size=2)
    assert [n.e164 for n in numbers] == [*infobip.facts["phone_numbers"], *added]
    assert [n.number for n in numbers][:2] == ["14155550170", "14155550171"]  # Infobip's form: no plus
    assert numbers[0].number_key == infobip.facts["number_keys"][0]
    assert (numbers[0].type, numbers[0].capabilities, numbers[0].country) == ("VIRTUAL_LONG_NUMBER", ("SMS", "MMS"),
                                                                                "US")
    assert numbers[1].capabilities == ("SMS",)
    queries = [e.query for e in infobip.state.control.journal.entries()]
    assert queries == ["limit=2&page=0", "limit=2&page=1", "limit=2&page=2"]


def test_numbers_stop_at_the_count_even_on_a_full_page(infobip: InfobipWorld) -> None:
    assert len(infobip.client().numbers(page_size=2)) == 2
    assert len(infobip.state.control.journal.entries()) == 1


def test_owns_number_takes_e164_or_infobips_form(infobip: InfobipWorld) -> None:
    client = infobip.client()
    assert client.owns_number("+14155550170")
    assert client.owns_number("14155550171")
    assert not client.owns_number("+14155550199")
    assert not client.owns_number("+1415555017")  # a prefix of an owned number is not that number
    assert not client.owns_number("ACME")  # alphanumeric senders are not numbers: no call made
    assert [e.query for e in infobip.state.control.journal.entries()] == [
        "limit=50&page=0&number=14155550170",
        "limit=50&page=0&number=14155550171",
        "limit=50&page=0&number=14155550199",
        "limit=50&page=0&number=1415555017",
    ]


def test_numbers_of_another_account_are_not_owned(infobip: InfobipWorld) -> None:
    other = infobip.state.add_account()
    infobip.state.add_number(other.id, number="+14155550177")
    assert not infobip.client().owns_number("+14155550177")
    assert infobip.client(api_key=other.api_key).owns_number("+14155550177")


def test_page_size_must_be_positive(infobip: InfobipWorld) -> None:
    with pytest.raises(ValueError, match="page_size must be 1 or more, got 0"):
        infobip.client().numbers(page_size=0)


# -- inbound configurations --------------------------------------------------------------------


def test_create_list_and_delete_an_inbound_configuration(infobip: InfobipWorld) -> None:
    client = infobip.client()
    number = infobip.facts["phone_numbers"][0]
    assert client.inbound_configurations(number) == []
    key = client.create_inbound_configuration(number, forward_url=INBOUND_URL)
    assert len(key) == 32 and key.isalnum() and key.isupper()
    [configuration] = client.inbound_configurations(number)
    assert (configuration.configuration_key, configuration.channel, configuration.keyword) == (key, "SMS", None)
    assert (configuration.forward_type, configuration.forward_format) == ("HTTP_FORWARD", "MO_JSON_2")
    assert configuration.forwards_to == INBOUND_URL
    assert client.inbound_configurations(infobip.facts["phone_numbers"][1]) == []
    assert [c.configuration_key for c in client.inbound_configurations()] == [key]  # the whole channel
    assert client.delete_inbound_configuration(key) is True
    assert client.inbound_configurations(number) == []
    assert client.delete_inbound_configuration(key) is False  # already gone: a destroy may repeat


def test_the_create_sends_what_the_spec_requires(infobip: InfobipWorld) -> None:
    infobip.client().create_inbound_configuration("+14155550170", forward_url=INBOUND_URL, keyword="STOP")
    [record] = infobip.state.configurations.values()
    assert (record.channel, record.number, record.keyword) == ("SMS", "+14155550170", "STOP")
    assert record.forwarding == {"type": "HTTP_FORWARD", "url": INBOUND_URL, "format": "MO_JSON_2"}


def test_create_is_idempotent(infobip: InfobipWorld) -> None:
    client = infobip.client()
    first = client.create_inbound_configuration("+14155550170", forward_url=INBOUND_URL)
    again = client.create_inbound_configuration("14155550170", INBOUND_URL)  # Infobip's form, positional URL
    assert first == again
    assert len(infobip.state.configurations) == 1
    posts = [e for e in infobip.state.control.journal.entries() if e.method == "POST"]
    assert len(posts) == 1


def test_another_url_replaces_the_forwarding_of_the_number_and_keyword(infobip: InfobipWorld) -> None:
    """Infobip's POST creates or updates the configuration of (number, keyword): no second one appears."""
    client = infobip.client()
    first = client.create_inbound_configuration("+14155550170", forward_url=INBOUND_URL)
    moved = client.create_inbound_configuration("+14155550170", forward_url="https://registry.example/other")
    assert moved == first
    [configuration] = client.inbound_configurations("+14155550170")
    assert configuration.forwards_to == "https://registry.example/other"
    per_keyword = client.create_inbound_configuration("+14155550170", forward_url=INBOUND_URL, keyword="HELP")
    assert per_keyword != first
    assert {c.keyword for c in client.inbound_configurations("+14155550170")} == {None, "HELP"}


def test_a_lost_answer_to_a_create_that_landed_is_found_not_sent_again(infobip: InfobipWorld) -> None:
    transport = LosingTransport(deliver=True)
    key = infobip.client(transport=transport).create_inbound_configuration("+14155550170", forward_url=INBOUND_URL)
    assert transport.posts == 1
    assert list(infobip.state.configurations) == [key]
    methods = [e.method for e in infobip.state.control.journal.entries()]
    assert methods == ["GET", "POST", "GET"]  # look up, create (answer lost), look up again


def test_a_lost_create_that_did_not_land_raises_and_is_not_sent_again(infobip: InfobipWorld) -> None:
    transport = LosingTransport(deliver=False)
    client = infobip.client(transport=transport)
    with pytest.raises(VendorUnavailable, match="Infobip did not answer in time: ReadTimeout") as caught:
        client.create_inbound_configuration("+14155550170", forward_url=INBOUND_URL)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert transport.posts == 1
    assert infobip.state.configurations == {}


def test_a_5xx_on_create_is_not_retried(infobip: InfobipWorld, fake_clock: FakeClock) -> None:
    client = infobip.client(clock=fake_clock.clock())
    infobip.state.control.faults.add(Fault(status=None), count=1)  # the look-up goes through
    infobip.state.control.faults.add(Fault(status=500), count=1)  # the create fails
    with pytest.raises(VendorUnavailable) as caught:
        client.create_inbound_configuration("+14155550170", forward_url=INBOUND_URL)
    assert (caught.value.code, caught.value.status) == ("INTERNAL_SERVER_ERROR", 500)
    assert [e.method for e in infobip.state.control.journal.entries()] == ["GET", "POST", "GET"]
    assert fake_clock.sleeps == []


def test_an_unowned_number_cannot_be_configured(infobip: InfobipWorld) -> None:
    with pytest.raises(VendorRejected) as caught:
        infobip.client().create_inbound_configuration("+14155550199", forward_url=INBOUND_URL)
    assert (caught.value.code, caught.value.status) == ("NOT_FOUND", 404)
    assert "error NOT_FOUND: Number 14155550199 not found" in str(caught.value)


def test_validation_errors_are_spelled_out() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=[])
        body = {
            "requestError": {
                "serviceException": {
                    "messageId": "BAD_REQUEST",
                    "text": "Bad request",
                    "validationErrors": {"forwarding.url": ["must not be blank"], "number": ["invalid"]},
                }
            }
        }
        return httpx.Response(400, json=body)

    client = InfobipClient("https://x.api.infobip.com", WRONG_KEY, transport=httpx.MockTransport(handler))
    with client, pytest.raises(VendorRejected) as caught:
        client.create_inbound_configuration("+14155550170", forward_url="")
    assert str(caught.value).startswith(
        "Infobip refused the request: error BAD_REQUEST: Bad request (forwarding.url: must not be blank; number:"
        " invalid) [HTTP 400, POST https://x.api.infobip.com/resource-management/1/inbound-message-configurations]"
    )


def test_a_listing_that_is_not_an_array_is_unavailable() -> None:
    client = InfobipClient(
        "https://x.api.infobip.com", KEY, transport=httpx.MockTransport(lambda r: httpx.Response(200, json={}))
    )
    with client, pytest.raises(VendorUnavailable, match="with a body that is not a JSON array"):
        client.inbound_configurations("+14155550170")


# -- sending -----------------------------------------------------------------------------------


def test_send_sms_uses_sms_v3_and_lands_in_the_outbox(infobip: InfobipWorld) -> None:
    sent = infobip.client().send_sms(
        "+14155550170",
        "+15005550006",
        "Reply STOP to opt out",
        validity_period_hours=48,
        callback_data="webhook-1",
        principal_entity_id="1201159",
        content_template_id="1207161",
    )
    assert (sent.to, sent.status_group, sent.status) == ("15005550006", "PENDING", "PENDING_ACCEPTED")
    assert sent.bulk_id and sent.message_id
    [entry] = httpx.get(f"{infobip.url}/_emulator/outbox").json()["messages"]
    assert (entry["sender"], entry["to"], entry["text"], entry["messageId"]) == (
        "14155550170",
        "15005550006",
        "Reply STOP to opt out",
        sent.message_id,
    )
    assert entry["options"] == {
        "validityPeriod": {"amount": 48, "timeUnit": "HOURS"},
        "regional": {"indiaDlt": {"principalEntityId": "1201159", "contentTemplateId": "1207161"}},
    }
    assert entry["webhooks"] == {"callbackData": "webhook-1"}
    assert infobip.state.control.journal.entries()[0].path == "/sms/3/messages"


def test_an_alphanumeric_sender_is_sent_as_is(infobip: InfobipWorld) -> None:
    infobip.client().send_sms("ACME", "+15005550006", "Hi")
    assert infobip.state.outbox[0]["sender"] == "ACME"


def test_a_dlt_template_needs_the_entity() -> None:
    with (
        InfobipClient("x.api.infobip.com", KEY) as client,
        pytest.raises(ValueError, match=r"content_template_id needs principal_entity_id \(India DLT\)"),
    ):
        client.send_sms("ACME", "+15005550006", "Hi", content_template_id="1207161")


def test_sms_v3_errors_keep_their_code_violations_and_link() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {
            "errorCode": "E400",
            "description": "Request cannot be processed.",
            "action": "Check the syntax, violations and adjust the request.",
            "violations": [{"property": "messages[0].destinations", "violation": "must not be empty"}],
            "resources": [{"name": "SMS", "url": "https://www.infobip.com/docs/sms"}],
        }
        return httpx.Response(400, json=body)

    client = InfobipClient("https://x.api.infobip.com", KEY, transport=httpx.MockTransport(handler))
    with client, pytest.raises(VendorRejected) as caught:
        client.send_sms("ACME", "+15005550006", "Hi")
    assert caught.value.code == "E400"
    assert str(caught.value).startswith(
        "Infobip refused the request: error E400: Request cannot be processed."
        " (messages[0].destinations: must not be empty) (see https://www.infobip.com/docs/sms)"
    )


def test_a_wrong_key_on_sms_v3_is_an_auth_error(infobip: InfobipWorld) -> None:
    with pytest.raises(VendorAuthError) as caught:
        infobip.client(api_key=WRONG_KEY).send_sms("ACME", "+15005550006", "Hi")
    assert caught.value.code == "E401"
    assert "(see https://www.infobip.com/docs/essentials/api-authentication)" in str(caught.value)
    assert infobip.state.outbox == []


def test_an_error_without_infobips_shape_still_reads_well() -> None:
    client = InfobipClient(
        "https://x.api.infobip.com", KEY, transport=httpx.MockTransport(lambda r: httpx.Response(403, text="Nope"))
    )
    with client, pytest.raises(VendorAuthError) as caught:
        client.verify()
    assert str(caught.value) == (
        "Infobip rejected the credentials: Nope [HTTP 403, GET https://x.api.infobip.com/account/1/balance]"
    )
    assert caught.value.code is None


# -- retries through the emulator's faults ----------------------------------------------------


def test_503_then_success_is_retried(infobip: InfobipWorld, fake_clock: FakeClock) -> None:
    infobip.state.control.faults.add(Fault(status=503, retry_after="2"))
    assert infobip.client(clock=fake_clock.clock()).verify().currency == "EUR"
    assert fake_clock.sleeps == [2.0]


def test_429_exhausting_the_retries_is_rate_limited(infobip: InfobipWorld, fake_clock: FakeClock) -> None:
    infobip.state.control.faults.add(Fault(status=429), count=5)
    with pytest.raises(VendorRateLimited) as caught:
        infobip.client(clock=fake_clock.clock(), retries=2).numbers()
    assert (caught.value.code, caught.value.status) == ("TOO_MANY_REQUESTS", 429)
    assert "after 3 attempts" in str(caught.value)
    assert len(infobip.state.control.journal.entries()) == 3


def test_a_5xx_on_a_delete_is_retried(infobip: InfobipWorld, fake_clock: FakeClock) -> None:
    client = infobip.client(clock=fake_clock.clock())
    key = client.create_inbound_configuration("+14155550170", forward_url=INBOUND_URL)
    infobip.state.control.faults.add(Fault(status=502), count=2)
    assert client.delete_inbound_configuration(key) is True
    assert len(fake_clock.sleeps) == 2


def test_a_timeout_is_unavailable(infobip: InfobipWorld, fake_clock: FakeClock) -> None:
    infobip.state.control.faults.add(Fault(status=None, delay=0.4))
    with pytest.raises(VendorUnavailable, match="Infobip did not answer in time: ReadTimeout"):
        infobip.client(clock=fake_clock.clock(), timeout=0.1, retries=0).verify()


def test_faults_answer_with_infobips_error_body(infobip: InfobipWorld) -> None:
    httpx.post(f"{infobip.url}/_emulator/faults", json={"status": 503, "retry_after": "1"})
    response = httpx.get(f"{infobip.url}/account/1/balance")
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert response.json() == {
        "requestError": {"serviceException": {"messageId": "SERVICE_UNAVAILABLE", "text": "Service Unavailable"}}
    }


# -- base URL ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("abcd12.api.infobip.com", "https://abcd12.api.infobip.com"),
        ("https://abcd12.api.infobip.com/", "https://abcd12.api.infobip.com"),
        (" https://abcd12.api.infobip.com ", "https://abcd12.api.infobip.com"),
        ("https://proxy.example/infobip", "https://proxy.example/infobip"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:9", "http://localhost:9"),
        ("http://[::1]:9", "http://[::1]:9"),
    ],
)
def test_base_urls_are_normalised(given: str, expected: str) -> None:
    assert infobip_base_url(given) == expected
    with InfobipClient(given, KEY) as client:
        assert client.base_url == expected


@pytest.mark.parametrize("given", ["http://abcd12.api.infobip.com", "ftp://abcd12.api.infobip.com", "https://"])
def test_base_urls_in_clear_text_or_without_a_host_are_refused(given: str) -> None:
    with pytest.raises(ValueError) as caught:
        InfobipClient(given, KEY)
    assert str(caught.value) == (
        f"Infobip base_url must be https://<account>.api.infobip.com (http only on loopback), got {given!r}"
    )


def test_the_emulator_journal_shows_the_json_the_client_sent(infobip: InfobipWorld) -> None:
    """The create's body, as the emulator received it, is what the contract test validates too."""
    recorded: list[bytes] = []

    class Keep(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "POST":
                recorded.append(request.read())
            return super().handle_request(request)

    infobip.client(transport=Keep()).create_inbound_configuration("+14155550170", forward_url=INBOUND_URL)
    assert json.loads(recorded[0]) == {
        "channel": "SMS",
        "number": "14155550170",
        "forwarding": {"type": "HTTP_FORWARD", "url": INBOUND_URL, "format": "MO_JSON_2"},
    }
