"""`smschannel.providers.custom.PROVIDER` against the local custom provider over real HTTP on loopback
(and mutual TLS): every `SmsProvider` method, called directly (no registry, no Terraform), with the
credentials' attributes as the registry holds them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from smschannel.emulators.custom_provider_tls import LocalCustomProvider, create_throwaway_pki
from smschannel.errors import VendorAuthError
from smschannel.inbound import FeedbackEvent, InboundMessage, PayloadError
from smschannel.model.custom_credentials import CustomCredentialsModel
from smschannel.providers import Credentials, WebhookRequest, provider_for
from smschannel.providers.custom import PROVIDER
from tests.providers.custom_support import CustomWorld, custom_world, serve_custom
from tests.providers.support import received

PROFILE = "+14155550123"
NUMBER = "+14155550180"
URL = "http://127.0.0.1:8600/inbound/tok-custom"
WRONG = "wrong-0123456789abcdef0123456789"
MANUAL = "the inbound webhook setting of the provider"
INBOUND = {"message": "data.text", "profile_number": "data.sender", "request_id": "data.id", "timestamp": "data.at"}
FEEDBACK = {"client_reference": "ref", "status": "delivery.state", "status_code": "delivery.code",
            "request_id": "message_id"}
SECRETS = ("api_token", "api_secret")


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCustomProvider]:
    yield from serve_custom(create_throwaway_pki(tmp_path_factory.mktemp("custom-pki")))


@pytest.fixture
def custom(local: LocalCustomProvider) -> Iterator[CustomWorld]:
    yield from custom_world(local)


def credentials(custom: CustomWorld, app: str, *, wrong: bool = False, **attributes: Any) -> Credentials:
    """The seeded application `app` as `smschannel_custom_credentials` attributes and secrets."""
    facts: dict[str, Any] = dict(custom.app(app))
    secrets = {k: (WRONG if wrong else facts[k]) for k in SECRETS if facts.get(k)}
    return Credentials(CustomCredentialsModel, {**{k: v for k, v in facts.items() if k not in SECRETS}, **attributes},
                       secrets)


def webhook(mapping: dict[str, str], *, kind: str = "inbound") -> dict[str, Any]:
    return {"url": URL, "type": kind, "sender_number": NUMBER, "payload_mapping": mapping}


def post(body: object, hook: dict[str, Any]) -> WebhookRequest:
    return WebhookRequest(json.dumps(body).encode(), {"content-type": "application/json"}, "", hook)


def test_it_is_the_provider_of_custom_credentials() -> None:
    assert provider_for(CustomCredentialsModel) is PROVIDER
    assert (PROVIDER.name, PROVIDER.label, PROVIDER.manual_wiring, PROVIDER.acknowledgement) == (
        "custom", "custom provider", MANUAL, None)


@pytest.mark.parametrize("app", ["bearer", "mac", "mtls"])
def test_verify_calls_the_verify_url_with_the_credentials_auth(custom: CustomWorld, app: str) -> None:
    PROVIDER.verify(credentials(custom, app))
    auth_type = "none" if app == "mtls" else app
    assert [(c.app, c.auth_type, c.mtls) for c in custom.state.verify_calls] == [(app, auth_type, app == "mtls")]


@pytest.mark.parametrize(("app", "code", "text"), [
    ("bearer", "invalid_token", "Invalid token"),
    ("mac", "invalid_signature", "The request signature does not verify"),
])
def test_verify_with_a_wrong_secret_keeps_the_provider_s_code_and_not_the_secret(
        custom: CustomWorld, app: str, code: str, text: str) -> None:
    with pytest.raises(VendorAuthError) as caught:
        PROVIDER.verify(credentials(custom, app, wrong=True))
    assert str(caught.value) == (
        f"Local SMS rejected the credentials: error {code}: {text} [HTTP 401, GET {custom.url}/{app}/verify]")
    assert (caught.value.vendor, caught.value.code, caught.value.status) == ("custom", code, 401)
    assert WRONG not in str(caught.value)


def test_without_a_verify_url_nothing_is_called(custom: CustomWorld) -> None:
    PROVIDER.verify(credentials(custom, "bearer", wrong=True, verify_url=None))
    assert PROVIDER.check_sender(credentials(custom, "bearer", verify_url=None), "ACME") is None
    assert custom.state.verify_calls == []


def test_check_sender_cannot_tell_numbers_apart_so_it_verifies_the_credentials(custom: CustomWorld) -> None:
    assert PROVIDER.check_sender(credentials(custom, "bearer"), NUMBER) is None
    assert [c.app for c in custom.state.verify_calls] == ["bearer"]
    with pytest.raises(VendorAuthError) as caught:
        PROVIDER.check_sender(credentials(custom, "bearer", wrong=True), NUMBER)
    assert caught.value.code == "invalid_token"


def test_wire_is_manual_and_there_is_nothing_to_read_or_undo(custom: CustomWorld) -> None:
    cred = credentials(custom, "bearer")
    wiring = PROVIDER.wire(cred, sender=NUMBER, url=URL)
    assert wiring.manual and wiring.undo == {}
    assert wiring.description == f"set by hand: paste {URL} into {MANUAL}"
    assert PROVIDER.read_wiring(cred, wiring.undo) is None
    assert PROVIDER.unwire(cred, wiring.undo) == ""
    assert custom.state.verify_calls == [] and custom.outbox() == []


@pytest.mark.parametrize("app", ["bearer", "mtls"])
def test_send_reply_renders_the_payload_template_into_the_outbox(custom: CustomWorld, app: str) -> None:
    cred = credentials(custom, app)
    with PROVIDER.client(cred) as client:
        message_id = PROVIDER.send_reply(client, cred, sender=NUMBER, to=PROFILE, text="You are unsubscribed.",
                                         reference="smc-custom-1")
    [sent] = custom.outbox()
    assert (sent["id"], sent["app"], sent["mtls"]) == (message_id, app, app == "mtls")
    assert sent["body"] == {"to": PROFILE, "from": NUMBER, "text": "You are unsubscribed.",
                            **({"authOption": "bearer"} if app == "bearer" else {})}


def test_parse_an_inbound_message_through_the_payload_mapping() -> None:
    body = {"data": {"id": "m-1", "sender": PROFILE, "text": "Stop please", "at": 1764064800}}
    [message] = PROVIDER.parse(post(body, webhook(INBOUND)), lambda: None)
    assert isinstance(message, InboundMessage)
    assert (message.request_id, message.profile_number, message.inbound_number, message.text, message.vendor) == (
        "m-1", PROFILE, NUMBER, "Stop please", "custom")
    assert message.received_at.isoformat() == "2025-11-25T10:00:00+00:00"


def test_parse_feedback_through_the_payload_mapping() -> None:
    body = {"message_id": "out-1", "ref": "order-7", "delivery": {"state": "delivered", "code": "DLV"}}
    [event] = PROVIDER.parse(post(body, webhook(FEEDBACK, kind="feedback")), lambda: None)
    assert isinstance(event, FeedbackEvent)
    assert (event.request_id, event.client_reference, event.status, event.status_code, event.vendor) == (
        "out-1", "order-7", "delivered", "DLV", "custom")


def test_parse_names_the_mapped_path_that_is_missing() -> None:
    with pytest.raises(PayloadError) as caught:
        PROVIDER.parse(post({"data": {"id": "m-2", "text": "hi"}}, webhook(INBOUND)), lambda: None)
    assert str(caught.value) == 'Custom inbound: "data.sender" (payload_mapping.profile_number) is missing'


def test_simulated_request_follows_the_mapping_and_parses_back_to_the_same_message(custom: CustomWorld) -> None:
    cred, hook = credentials(custom, "bearer"), webhook({**INBOUND, "inbound_number": "data.to"})
    request = PROVIDER.simulated_request(cred, hook, profile_number=PROFILE, text="STOP")
    data = json.loads(request.body)["data"]
    assert (data["id"], data["sender"], data["text"], data["to"]) == (request.request_id, PROFILE, "STOP", NUMBER)
    [message] = PROVIDER.parse(received(request, hook), lambda: cred)
    assert isinstance(message, InboundMessage)
    assert (message.text, message.profile_number, message.request_id, message.inbound_number) == (
        "STOP", PROFILE, request.request_id, NUMBER)
