"""SinchConversationClient (Sinch MMS and RCS credentials) against the local Conversation API."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from smschannel.emulators import Fault
from smschannel.errors import VendorAuthError, VendorRejected, VendorUnavailable
from smschannel.providers.sinch_conversation import (
    SINCH_CONVERSATION_REGIONS,
    SinchConversationClient,
    sinch_conversation_base_url,
)
from tests.providers.support import FakeClock
from tests.providers.vendor_worlds import SinchConversationWorld, run_sinch_conversation

WRONG_TOKEN = "0badc0ffee0badc0ffee0badc0ffee00"
PROJECT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
APP = "01E3S8B6YCMRNR0GGM94H80ACX"
APP_BODY = {"id": APP, "display_name": "x", "channel_credentials": [{"channel": "RCS"}], "processing_mode": "DISPATCH"}


@pytest.fixture
def conversation() -> Iterator[SinchConversationWorld]:
    yield from run_sinch_conversation()


def test_verify_reads_the_app_and_its_channels(conversation: SinchConversationWorld) -> None:
    rcs = conversation.client().verify()
    assert (rcs.id, rcs.display_name, rcs.channels, rcs.processing_mode) == (
        conversation.facts["rcs_app_id"],
        "smschannel demo RCS",
        ("RCS", "SMS"),
        "CONVERSATION",
    )
    assert rcs.has_channel("rcs") and not rcs.has_channel("MMS")
    mms = conversation.client(app_id=conversation.facts["mms_app_id"]).verify()
    assert mms.channels == ("MMS",)
    project = conversation.facts["project_id"]
    assert [e.path for e in conversation.state.control.journal.entries()] == [
        f"/v1/projects/{project}/apps/{conversation.facts['rcs_app_id']}",
        f"/v1/projects/{project}/apps/{conversation.facts['mms_app_id']}",
    ]


def test_a_wrong_token_is_an_auth_error_with_the_apis_status_and_never_the_token(
    conversation: SinchConversationWorld,
) -> None:
    client = conversation.client(api_token=WRONG_TOKEN)
    with pytest.raises(VendorAuthError) as caught:
        client.verify()
    error = caught.value
    assert (error.vendor, error.code, error.status) == ("sinch_conversation", "UNAUTHENTICATED", 401)
    project, app = conversation.facts["project_id"], conversation.facts["rcs_app_id"]
    assert str(error) == (
        "Sinch Conversation API rejected the credentials: error UNAUTHENTICATED: Request had invalid credentials."
        f" [HTTP 401, GET {conversation.url}/v1/projects/{project}/apps/{app}]"
    )
    for text in (str(error), repr(error), repr(client)):
        assert WRONG_TOKEN not in text
    assert repr(client) == (
        f"SinchConversationClient(project_id='{project}', app_id='{app}', api_token='***',"
        f" base_url='{conversation.url}')"
    )


def test_the_token_of_another_project_is_forbidden(conversation: SinchConversationWorld) -> None:
    other = conversation.state.add_project()
    with pytest.raises(VendorAuthError) as caught:
        conversation.client(api_token=other.api_token).verify()
    assert (caught.value.code, caught.value.status) == ("PERMISSION_DENIED", 403)


def test_an_app_outside_the_project_is_not_found(conversation: SinchConversationWorld) -> None:
    other = conversation.state.add_project()
    stray = conversation.state.add_app(other.id, display_name="elsewhere", channels=["SMS"])
    with pytest.raises(VendorRejected) as caught:
        conversation.client(app_id=stray.id).verify()
    assert (caught.value.code, caught.value.status) == ("NOT_FOUND", 404)
    assert f"error NOT_FOUND: App {stray.id} not found in project {conversation.facts['project_id']}" in str(
        caught.value
    )


def test_send_message_sends_rcs_with_sms_fallback(conversation: SinchConversationWorld) -> None:
    sent = conversation.client().send_message("+15005550006", text="Reply STOP to opt out", channels=("RCS", "SMS"))
    assert len(sent.message_id) == 26 and sent.accepted_time and sent.accepted_time.endswith("Z")
    [entry] = httpx.get(f"{conversation.url}/_emulator/outbox").json()["messages"]
    assert entry["message_id"] == sent.message_id
    assert entry["app_id"] == conversation.facts["rcs_app_id"]
    assert entry["channel_priority_order"] == ["RCS", "SMS"]
    assert entry["recipient"] == {
        "identified_by": {
            "channel_identities": [
                {"channel": "RCS", "identity": "+15005550006"},
                {"channel": "SMS", "identity": "+15005550006"},
            ]
        }
    }
    assert entry["message"] == {"text_message": {"text": "Reply STOP to opt out"}}


def test_send_message_sends_mms_media(conversation: SinchConversationWorld) -> None:
    client = conversation.client(app_id=conversation.facts["mms_app_id"])
    client.send_message("+15005550006", media_url="https://cdn.example/offer.png", channels=("MMS",))
    assert conversation.state.outbox[0]["message"] == {"media_message": {"url": "https://cdn.example/offer.png"}}


def test_a_channel_the_app_lacks_is_refused(conversation: SinchConversationWorld) -> None:
    with pytest.raises(VendorRejected) as caught:
        conversation.client().send_message("+15005550006", text="x", channels=("MMS",))
    assert (caught.value.code, caught.value.status) == ("INVALID_ARGUMENT", 400)
    assert "channel MMS is not configured for app" in str(caught.value)
    assert conversation.state.outbox == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "send_message needs exactly one of text and media_url"),
        ({"text": "a", "media_url": "https://x"}, "send_message needs exactly one of text and media_url"),
        ({"text": "a", "channels": ()}, "send_message needs at least one channel"),
    ],
)
def test_send_message_arguments_are_checked(kwargs: dict[str, object], message: str) -> None:
    with SinchConversationClient(PROJECT, APP, WRONG_TOKEN) as client, pytest.raises(ValueError, match=message):
        client.send_message("+15005550006", **kwargs)  # type: ignore[arg-type]


def test_a_send_is_never_retried_blindly(conversation: SinchConversationWorld, fake_clock: FakeClock) -> None:
    conversation.state.control.faults.add(Fault(status=500))
    with pytest.raises(VendorUnavailable) as caught:
        conversation.client(clock=fake_clock.clock()).send_message("+15005550006", text="x")
    assert (caught.value.code, caught.value.status) == ("INTERNAL", 500)
    assert len(conversation.state.control.journal.entries()) == 1 and fake_clock.sleeps == []


def test_a_read_is_retried_through_429_and_503(conversation: SinchConversationWorld, fake_clock: FakeClock) -> None:
    conversation.state.control.faults.add(Fault(status=429, retry_after="1"))
    conversation.state.control.faults.add(Fault(status=503))
    assert conversation.client(clock=fake_clock.clock()).verify().channels == ("RCS", "SMS")
    assert fake_clock.sleeps[0] == 1.0 and len(fake_clock.sleeps) == 2


def test_a_timeout_is_unavailable(conversation: SinchConversationWorld, fake_clock: FakeClock) -> None:
    conversation.state.control.faults.add(Fault(status=None, delay=0.4))
    with pytest.raises(VendorUnavailable, match="Sinch Conversation API did not answer in time: ReadTimeout"):
        conversation.client(clock=fake_clock.clock(), timeout=0.1, retries=0).verify()


@pytest.mark.parametrize("region", SINCH_CONVERSATION_REGIONS)
def test_each_region_has_its_own_host(region: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(200, json={"message_id": "01ABC", "accepted_time": "2024-01-01T00:00:00Z"})
        return httpx.Response(200, json=APP_BODY)

    transport = httpx.MockTransport(handler)
    with SinchConversationClient(PROJECT, APP, "t" * 32, region=region, transport=transport) as client:
        assert client.base_url == f"https://{region}.conversation.api.sinch.com" == sinch_conversation_base_url(region)
        assert client.verify().processing_mode == "DISPATCH"
        assert client.send_message("+15005550006", text="hi").message_id == "01ABC"
    assert [str(r.url) for r in seen] == [
        f"https://{region}.conversation.api.sinch.com/v1/projects/{PROJECT}/apps/{APP}",
        f"https://{region}.conversation.api.sinch.com/v1/projects/{PROJECT}/messages:send",
    ]
    assert all(r.headers["Authorization"] == f"Bearer {'t' * 32}" for r in seen)
    assert json.loads(seen[1].content)["app_id"] == APP


def test_base_url_overrides_the_region() -> None:
    with SinchConversationClient(PROJECT, APP, "t", region="eu", base_url="http://127.0.0.1:9/") as client:
        assert client.base_url == "http://127.0.0.1:9"


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="Sinch Conversation API region must be one of us, eu, br, got 'au'"):
        SinchConversationClient(PROJECT, APP, "t", region="au")


def test_an_error_without_the_apis_shape_still_reads_well() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(502, text="<html>Bad gateway</html>"))
    client = SinchConversationClient(PROJECT, APP, WRONG_TOKEN, transport=transport, retries=0)
    with client, pytest.raises(VendorUnavailable) as caught:
        client.verify()
    assert str(caught.value).startswith("Sinch Conversation API is unavailable: <html>Bad gateway</html> [HTTP 502")
    assert caught.value.code is None
