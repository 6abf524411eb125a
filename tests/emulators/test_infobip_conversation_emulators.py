"""The local Infobip and Sinch Conversation API: seeds, admin surface, and vendor behaviour the
clients do not reach. Also what importing the new clients costs the Terraform provider."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from smschannel.emulators import (
    InfobipState,
    SinchConversationState,
    seed_infobip,
    seed_sinch_conversation,
)
from tests.providers.vendor_worlds import InfobipWorld, SinchConversationWorld, run_infobip, run_sinch_conversation

HEX32_UPPER = re.compile(r"^[0-9A-F]{32}$")
API_KEY = re.compile(r"^[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ULID = re.compile(r"^01[0-9A-HJKMNP-TV-Z]{24}$")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
CONFIGURATIONS = "/resource-management/1/inbound-message-configurations"


@pytest.fixture
def infobip() -> Iterator[InfobipWorld]:
    yield from run_infobip()


@pytest.fixture
def conversation() -> Iterator[SinchConversationWorld]:
    yield from run_sinch_conversation()


def _app(infobip: InfobipWorld) -> httpx.Client:
    return httpx.Client(base_url=infobip.url, headers={"Authorization": f"App {infobip.facts['api_key']}"})


def test_seeds_are_deterministic_and_well_formed() -> None:
    first, again, other = (seed_infobip(InfobipState(), seed) for seed in (7, 7, 8))
    assert first == again and first["api_key"] != other["api_key"]
    assert API_KEY.match(first["api_key"])
    assert first["phone_numbers"] == ["+14155550170", "+14155550171"]
    assert all(HEX32_UPPER.match(key) for key in first["number_keys"])
    assert (first["balance"], first["currency"]) == (47.5, "EUR")
    assert "base_url" not in first  # the emulator's own URL: known once it is served
    project, project_again = (
        seed_sinch_conversation(SinchConversationState(), 7),
        seed_sinch_conversation(SinchConversationState(), 7),
    )
    assert project == project_again
    assert UUID4.match(project["project_id"]) and re.fullmatch(r"[0-9a-f]{32}", project["api_token"])
    assert ULID.match(project["mms_app_id"]) and ULID.match(project["rcs_app_id"])
    assert project["region"] == "us"


def test_a_number_must_be_e164() -> None:
    state = InfobipState()
    account = state.add_account()
    with pytest.raises(ValueError, match=re.escape("number must be E.164 (+ and digits), got '14155550170'")):
        state.add_number(account.id, number="14155550170")


def test_outbox_and_request_journal_are_readable(infobip: InfobipWorld, conversation: SinchConversationWorld) -> None:
    infobip.client().send_sms("ACME", "+15005550006", "Hi")
    assert [m["text"] for m in httpx.get(f"{infobip.url}/_emulator/outbox").json()["messages"]] == ["Hi"]
    assert httpx.get(f"{infobip.url}/_emulator/requests").json()["requests"] == [
        {"method": "POST", "path": "/sms/3/messages", "query": ""}
    ]
    conversation.client().send_message("+15005550006", text="Hi")
    [sent] = httpx.get(f"{conversation.url}/_emulator/outbox").json()["messages"]
    assert sent["project_id"] == conversation.facts["project_id"]
    assert httpx.delete(f"{conversation.url}/_emulator/faults").status_code == 204
    assert httpx.get(f"{conversation.url}/_emulator/requests").json()["requests"] == []


def test_faults_use_the_conversation_apis_error_body(conversation: SinchConversationWorld) -> None:
    httpx.post(f"{conversation.url}/_emulator/faults", json={"status": 429, "retry_after": 1})
    project, app = conversation.facts["project_id"], conversation.facts["mms_app_id"]
    response = httpx.get(f"{conversation.url}/v1/projects/{project}/apps/{app}")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "1")
    assert response.json() == {
        "error": {"code": 429, "message": "Too Many Requests", "status": "RESOURCE_EXHAUSTED", "details": []}
    }


def test_unknown_paths_and_methods_answer_like_the_vendor(
    infobip: InfobipWorld, conversation: SinchConversationWorld
) -> None:
    with _app(infobip) as http:
        missing = http.get("/sms/9/nothing")
        assert (missing.status_code, missing.json()["requestError"]["serviceException"]["messageId"]) == (
            404,
            "NOT_FOUND",
        )
        wrong = http.put("/account/1/balance")
        assert wrong.json()["requestError"]["serviceException"] == {
            "messageId": "METHOD_NOT_ALLOWED",
            "text": "Method Not Allowed: PUT /account/1/balance",
        }
    response = httpx.get(f"{conversation.url}/v2/whatever")
    assert (response.status_code, response.json()["error"]["status"]) == (404, "NOT_FOUND")


@pytest.mark.parametrize("header", ["", "App", "App {key}x", "Basic eDp5", "Bearer {key}", "app {key}"])
def test_infobip_takes_only_the_app_scheme(infobip: InfobipWorld, header: str) -> None:
    headers = {"Authorization": header.format(key=infobip.facts["api_key"])} if header else {}
    response = httpx.get(f"{infobip.url}/account/1/balance", headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "requestError": {"serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}}
    }


@pytest.mark.parametrize("header", ["", "Bearer", "Basic eDp5", "Token {token}"])
def test_the_conversation_api_takes_only_the_projects_bearer_token(
    conversation: SinchConversationWorld, header: str
) -> None:
    headers = {"Authorization": header.format(token=conversation.facts["api_token"])} if header else {}
    project, app = conversation.facts["project_id"], conversation.facts["rcs_app_id"]
    response = httpx.get(f"{conversation.url}/v1/projects/{project}/apps/{app}", headers=headers)
    assert (response.status_code, response.json()["error"]["status"]) == (401, "UNAUTHENTICATED")


def test_infobip_filters_configurations_by_key_keyword_and_number_key(infobip: InfobipWorld) -> None:
    client = infobip.client()
    plain = client.create_inbound_configuration("+14155550170", forward_url="https://r.example/1")
    helpful = client.create_inbound_configuration("+14155550170", forward_url="https://r.example/2", keyword="HELP")
    assert [c.configuration_key for c in client.inbound_configurations(configuration_key=helpful)] == [helpful]
    with _app(infobip) as http:
        by_keyword = http.get(CONFIGURATIONS, params={"channel": "SMS", "keyword": "HELP"}).json()
        by_number_key = http.get(
            CONFIGURATIONS, params={"channel": "SMS", "numberKey": infobip.facts["number_keys"][0]}
        ).json()
        other_channel = http.get(CONFIGURATIONS, params={"channel": "MMS"}).json()
        no_channel = http.get(CONFIGURATIONS)
    assert [c["configurationKey"] for c in by_keyword] == [helpful]
    assert {c["configurationKey"] for c in by_number_key} == {plain, helpful}
    assert other_channel == []
    assert no_channel.status_code == 400
    assert no_channel.json()["requestError"]["serviceException"]["validationErrors"] == {
        "channel": ["must not be null"]
    }


def test_infobip_unset_removes_the_forwarding_and_a_post_without_forwarding_keeps_it(infobip: InfobipWorld) -> None:
    key = infobip.client().create_inbound_configuration("+14155550170", forward_url="https://r.example/1")
    with _app(infobip) as http:
        kept = http.post(CONFIGURATIONS, json={"channel": "SMS", "number": "14155550170"}).json()
        assert kept == {
            "configurationKey": key,
            "channel": "SMS",
            "forwarding": {"type": "HTTP_FORWARD", "url": "https://r.example/1", "format": "MO_JSON_2"},
        }
        cleared = http.post(
            CONFIGURATIONS,
            json={"channel": "SMS", "numberKey": infobip.facts["number_keys"][0], "unset": ["FORWARDING"]},
        ).json()
    assert cleared == {"configurationKey": key, "channel": "SMS"}
    assert infobip.client().find_inbound_configuration("+14155550170", forward_url="https://r.example/1") is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "WHATSAPP", "number": "14155550170"}, "channel"),
        ({"channel": "SMS"}, "number"),
        ({"channel": "SMS", "number": 14155550170}, "number"),
        ({"channel": "SMS", "number": "14155550170", "keyword": "K" * 51}, "keyword"),
        ({"channel": "SMS", "number": "14155550170", "forwarding": {"type": "TELEPATHY"}}, "forwarding.type"),
        ({"channel": "SMS", "number": "14155550170", "unset": "FORWARDING"}, "unset"),
    ],
)
def test_infobip_refuses_malformed_configurations(infobip: InfobipWorld, body: dict[str, object], field: str) -> None:
    with _app(infobip) as http:
        response = http.post(CONFIGURATIONS, json=body)
    assert response.status_code == 400
    assert list(response.json()["requestError"]["serviceException"]["validationErrors"]) == [field]
    assert infobip.state.configurations == {}


def test_infobip_hides_other_accounts_configurations(infobip: InfobipWorld) -> None:
    key = infobip.client().create_inbound_configuration("+14155550170", forward_url="https://r.example/1")
    other = infobip.state.add_account()
    with httpx.Client(base_url=infobip.url, headers={"Authorization": f"App {other.api_key}"}) as http:
        assert http.get(CONFIGURATIONS, params={"channel": "SMS"}).json() == []
        assert http.delete(f"{CONFIGURATIONS}/{key}").status_code == 404
    assert list(infobip.state.configurations) == [key]


@pytest.mark.parametrize(
    ("body", "prop"),
    [
        (b"not json", "messages"),
        ({"messages": [{"content": {"text": "x"}}]}, "messages[0].destinations"),
        ({"messages": [{"destinations": [{"to": 1}], "content": {"text": "x"}}]}, "messages[0].destinations[0].to"),
        ({"messages": [{"destinations": [{"to": "1"}], "content": {"hex": "00"}}]}, "messages[0].content.text"),
    ],
)
def test_infobip_sms_v3_refuses_malformed_messages(infobip: InfobipWorld, body: object, prop: str) -> None:
    with _app(infobip) as http:
        response = (
            http.post("/sms/3/messages", content=body)
            if isinstance(body, bytes)
            else http.post("/sms/3/messages", json=body)
        )
    assert response.status_code == 400
    assert response.json()["violations"][0]["property"] == prop
    assert infobip.state.outbox == []


def test_infobip_numbers_paging_is_checked(infobip: InfobipWorld) -> None:
    with _app(infobip) as http:
        assert http.get("/numbers/1/numbers", params={"limit": 1001}).status_code == 400
        assert http.get("/numbers/1/numbers", params={"page": -1}).status_code == 400
        beyond = http.get("/numbers/1/numbers", params={"limit": 2, "page": 5}).json()
    assert beyond == {"numbers": [], "numberCount": 2}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "Invalid JSON in request body"),
        ({"recipient": {"contact_id": "c"}, "message": {"text_message": {"text": "x"}}}, "app_id is required"),
        ({"app_id": "{rcs}", "recipient": {}, "message": {"text_message": {"text": "x"}}}, "recipient needs"),
        (
            {"app_id": "{rcs}", "recipient": {"contact_id": "c"}, "message": {"text_message": {"text": ""}}},
            "message.text_message.text is required",
        ),
        (
            {"app_id": "{rcs}", "recipient": {"identified_by": {"channel_identities": [{"channel": "SMS"}]}}},
            "each channel identity needs channel and identity",
        ),
    ],
)
def test_the_conversation_api_refuses_malformed_sends(
    conversation: SinchConversationWorld, body: object, message: str
) -> None:
    url = f"{conversation.url}/v1/projects/{conversation.facts['project_id']}/messages:send"
    headers = {"Authorization": f"Bearer {conversation.facts['api_token']}"}
    if isinstance(body, bytes):
        response = httpx.post(url, content=body, headers=headers)
    else:
        filled = (
            httpx.Request("POST", url, json=body).content.decode().replace("{rcs}", conversation.facts["rcs_app_id"])
        )
        response = httpx.post(url, content=filled, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert conversation.state.outbox == []


def test_the_app_answer_never_echoes_channel_secrets(conversation: SinchConversationWorld) -> None:
    project, app = conversation.facts["project_id"], conversation.facts["rcs_app_id"]
    headers = {"Authorization": f"Bearer {conversation.facts['api_token']}"}
    body = httpx.get(f"{conversation.url}/v1/projects/{project}/apps/{app}", headers=headers).json()
    assert [c["channel"] for c in body["channel_credentials"]] == ["RCS", "SMS"]
    assert {c["static_bearer"]["token"] for c in body["channel_credentials"]} == {"***"}
    assert conversation.facts["api_token"] not in str(body)
