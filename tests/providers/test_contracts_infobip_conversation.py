"""InfobipClient and SinchConversationClient requests, and the local emulators' answers, checked
against tests/contracts/infobip_*.subset.json (Infobip's own OpenAPI files) and
sinch_conversation.handwritten.json (written from Sinch's public docs). Then the inbound webhook
payload contracts, and proof that every check bites.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from smschannel.errors import VendorAuthError, VendorRejected
from tests.providers.contract import (
    INFOBIP_CONTRACT_NAMES,
    SINCH_CONVERSATION_CONTRACT,
    WEBHOOK_CONTRACT_NAMES,
    ContractViolation,
    check_request,
    check_response,
    check_webhook,
    contract_path,
    load_contract,
)
from tests.providers.support import RecordingTransport
from tests.providers.vendor_worlds import InfobipWorld, SinchConversationWorld, run_infobip, run_sinch_conversation

Exchange = tuple[httpx.Request, httpx.Response]
INBOUND_URL = "https://registry.example/inbound/infobip/1"
WRONG = "0badc0ffee0badc0ffee0badc0ffee00-8f4b3d9a-e931-478d-a994-28a725159ab9"


@pytest.fixture
def infobip() -> Iterator[InfobipWorld]:
    yield from run_infobip()


@pytest.fixture
def conversation() -> Iterator[SinchConversationWorld]:
    yield from run_sinch_conversation()


def infobip_exchanges(infobip: InfobipWorld) -> list[Exchange]:
    """Every InfobipClient call, successful and failing, as sent and answered over loopback."""
    recorder = RecordingTransport()
    client = infobip.client(transport=recorder)
    number = infobip.facts["phone_numbers"][0]
    client.verify()
    client.numbers(page_size=1)
    client.owns_number(number)
    key = client.create_inbound_configuration(number, forward_url=INBOUND_URL)
    client.create_inbound_configuration(number, forward_url=INBOUND_URL, keyword="HELP")
    client.inbound_configurations(number)
    client.inbound_configurations()
    since = datetime.now(UTC) - timedelta(minutes=1)
    client.send_sms(number, "+15005550006", "Reply STOP to opt out", validity_period_hours=24, callback_data="x",
                    message_id="smc-contract-1")
    assert client.message_logged("smc-contract-1", sent_since=since) is True
    with infobip.client() as unrecorded:  # an empty answer has no field for the breakage test to break
        assert unrecorded.message_logged("smc-never-sent", sent_since=since) is False
    client.send_mms(number, "+15005550006", media_url="https://cdn.example.com/stop.png", text="Bye.",
                    validity_period_hours=24, callback_data="x", message_id="smc-contract-2")
    with pytest.raises(VendorRejected, match="not an MMS-capable number"):
        client.send_mms(infobip.facts["phone_numbers"][1], "+15005550006", media_url="https://cdn.example.com/a.png")
    assert client.delete_inbound_configuration(key) is True
    assert client.delete_inbound_configuration(key) is False
    with pytest.raises(VendorRejected):
        client.create_inbound_configuration("+14155550199", forward_url=INBOUND_URL)
    wrong = infobip.client(api_key=WRONG, transport=recorder)
    with pytest.raises(VendorAuthError):
        wrong.verify()
    with pytest.raises(VendorAuthError):
        wrong.send_sms("ACME", "+15005550006", "x")
    return recorder.exchanges


def conversation_exchanges(conversation: SinchConversationWorld) -> list[Exchange]:
    recorder = RecordingTransport()
    client = conversation.client(transport=recorder)
    client.verify()
    client.send_message("+15005550006", text="Hi", channels=("RCS", "SMS"))
    mms = conversation.client(app_id=conversation.facts["mms_app_id"], transport=recorder)
    mms.verify()
    mms.send_message("+15005550006", media_url="https://cdn.example/a.png", channels=("MMS",))
    with pytest.raises(VendorRejected):
        client.send_message("+15005550006", text="Hi", channels=("MMS",))
    with pytest.raises(VendorRejected):
        conversation.client(app_id="01" + "0" * 24, transport=recorder).verify()
    with pytest.raises(VendorAuthError):
        conversation.client(api_token="0" * 32, transport=recorder).verify()
    return recorder.exchanges


def _operations(*names: str) -> set[str]:
    return {op.operation_id for name in names for op in load_contract(name).operations}


def test_every_infobip_call_and_answer_keeps_the_contract(infobip: InfobipWorld) -> None:
    exchanges = infobip_exchanges(infobip)
    covered = set()
    for request, response in exchanges:
        covered.add(check_request(request).operation_id)
        check_response(request, response)
    assert covered == _operations(*INFOBIP_CONTRACT_NAMES)
    assert {r.status_code for _, r in exchanges} == {200, 204, 400, 401, 404}


def test_every_conversation_call_and_answer_keeps_the_contract(conversation: SinchConversationWorld) -> None:
    exchanges = conversation_exchanges(conversation)
    covered = set()
    for request, response in exchanges:
        covered.add(check_request(request).operation_id)
        check_response(request, response)
    assert covered == {"App_GetApp", "Messages_SendMessage"} == _operations(SINCH_CONVERSATION_CONTRACT)
    assert {r.status_code for _, r in exchanges} == {200, 400, 401, 404}


def test_infobip_paging_answers_keep_the_contract_on_every_page(infobip: InfobipWorld) -> None:
    account_id = next(iter(infobip.state.accounts.values())).id
    for index in range(3):
        infobip.state.add_number(account_id, number=f"+1415555019{index}")
    recorder = RecordingTransport()
    assert len(infobip.client(transport=recorder).numbers(page_size=2)) == 5
    pages = [json.loads(response.content) for _, response in recorder.exchanges]
    assert [len(p["numbers"]) for p in pages] == [2, 2, 1] and {p["numberCount"] for p in pages} == {5}
    for request, response in recorder.exchanges:
        check_request(request)
        check_response(request, response)


def test_emulator_refusals_keep_the_contract(infobip: InfobipWorld, conversation: SinchConversationWorld) -> None:
    """Answers to requests the clients never send (bad input) still have the vendor's error shape."""
    app_key = {"Authorization": f"App {infobip.facts['api_key']}"}
    configurations = f"{infobip.url}/resource-management/1/inbound-message-configurations"
    with httpx.Client(headers=app_key) as http:
        bad_forward = {"channel": "SMS", "number": "14155550170", "forwarding": {"type": "HTTP_FORWARD", "url": ""}}
        for response, code in [
            (http.post(configurations, json=bad_forward), "BAD_REQUEST"),
            (http.get(configurations, params={"channel": "SMS", "number": "14155550199"}), "NOT_FOUND"),
            (http.get(f"{infobip.url}/numbers/1/numbers", params={"limit": 0}), "BAD_REQUEST"),
        ]:
            assert response.json()["requestError"]["serviceException"]["messageId"] == code
            check_response(response.request, response)
        assert http.post(configurations, json=bad_forward).json()["requestError"]["serviceException"][
            "validationErrors"
        ] == {"forwarding.url": ["must not be blank"]}
        response = http.post(f"{infobip.url}/sms/3/messages", json={"messages": []})
        assert (response.status_code, response.json()["errorCode"]) == (400, "E400")
        assert response.json()["violations"] == [{"property": "messages", "violation": "must not be empty"}]
        check_response(response.request, response)
    project = conversation.facts["project_id"]
    bearer = {"Authorization": f"Bearer {conversation.facts['api_token']}"}
    with httpx.Client(headers=bearer) as http:
        body = {
            "app_id": conversation.facts["rcs_app_id"],
            "recipient": {"contact_id": "c1"},
            "message": {"text_message": {"text": "a"}, "media_message": {"url": "b"}},
        }
        response = http.post(f"{conversation.url}/v1/projects/{project}/messages:send", json=body)
        assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
        check_response(response.request, response)
        other = conversation.state.add_project()
        response = http.get(f"{conversation.url}/v1/projects/{other.id}/apps/{conversation.facts['rcs_app_id']}")
        assert (response.status_code, response.json()["error"]["status"]) == (403, "PERMISSION_DENIED")
        check_response(response.request, response)


# -- the checks bite ---------------------------------------------------------------------------


def _mutated(response: httpx.Response, change: Callable[[Any], Any]) -> httpx.Response:
    """The answer with its JSON changed in place by `change`, or replaced by the object or array it returns."""
    body = copy.deepcopy(json.loads(response.content))
    changed = change(body)
    replaced = changed if isinstance(changed, dict | list) else body
    return httpx.Response(response.status_code, json=replaced, request=response.request)


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in `node`, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from _objects(item)


def _first_object(body: Any) -> dict[str, Any]:
    """The first object holding a string: the resource (or the error) itself, not a wrapper."""
    return next(o for o in _objects(body) if any(isinstance(v, str) for v in o.values()))


def _wrong_type(body: Any) -> None:
    item = _first_object(body)
    key = next(k for k, v in item.items() if isinstance(v, str))
    item[key] = 12345


RESPONSE_BREAKAGES: dict[str, Callable[[Any], Any]] = {
    "garbage instead of the resource": lambda body: {"unexpected": [1]},
    "a field of the wrong type": _wrong_type,
    "an undocumented field": lambda body: _first_object(body).update({"smschannel_extra": "x"}),
}


@pytest.mark.parametrize("breakage", sorted(RESPONSE_BREAKAGES))
def test_a_wrong_answer_fails_for_every_operation(
    infobip: InfobipWorld, conversation: SinchConversationWorld, breakage: str
) -> None:
    exchanges = infobip_exchanges(infobip) + conversation_exchanges(conversation)
    seen = set()
    for request, response in exchanges:
        if not response.content:  # 204: a body where none belongs is checked below
            continue
        if response.content == b"[]" and breakage != "garbage instead of the resource":
            continue  # nothing inside to break; the same operation answers a full listing too
        op = check_response(request, response)
        seen.add(op.operation_id)
        with pytest.raises(ContractViolation, match=op.operation_id):
            check_response(request, _mutated(response, RESPONSE_BREAKAGES[breakage]))
    # every operation's answers were broken, the delete's 404 included
    assert seen == _operations(*INFOBIP_CONTRACT_NAMES, SINCH_CONVERSATION_CONTRACT)


def test_a_delete_answering_with_a_body_fails(infobip: InfobipWorld) -> None:
    request, response = next((q, r) for q, r in infobip_exchanges(infobip) if r.status_code == 204)
    check_response(request, response)
    with pytest.raises(ContractViolation, match="delete-inbound-configuration"):
        check_response(request, httpx.Response(200, json={"deleted": True}, request=request))


def _infobip_answer(infobip: InfobipWorld, operation_id: str, status: int = 200) -> Exchange:
    for request, response in infobip_exchanges(infobip):
        if response.status_code == status and check_request(request).operation_id == operation_id:
            return request, response
    raise AssertionError(f"no {status} answer to {operation_id}")


def test_a_forwarding_without_its_url_fails(infobip: InfobipWorld) -> None:
    """The discriminator (forwarding.type) picks HttpForwardActionDocs, which requires url."""
    request, response = _infobip_answer(infobip, "manage-inbound-configuration")
    with pytest.raises(ContractViolation, match="'url' is a required property"):
        check_response(request, _mutated(response, lambda body: body["forwarding"].pop("url")))
    with pytest.raises(ContractViolation, match="could not be resolved"):
        check_response(request, _mutated(response, lambda body: body["forwarding"].update({"type": "TELEPATHY"})))


def test_an_infobip_error_without_its_text_fails(infobip: InfobipWorld) -> None:
    request, response = _infobip_answer(infobip, "get-account-balance", 401)
    check_response(request, response)
    with pytest.raises(ContractViolation, match="'text' is a required property"):
        check_response(request, _mutated(response, lambda body: body["requestError"]["serviceException"].pop("text")))
    with pytest.raises(ContractViolation):
        check_response(request, _mutated(response, lambda body: {"errorCode": "E401", "description": "x"}))


def test_a_value_outside_the_enum_fails(infobip: InfobipWorld) -> None:
    request, response = _infobip_answer(infobip, "list-owned-numbers")
    with pytest.raises(ContractViolation, match="'PIGEON' is not one of"):
        check_response(request, _mutated(response, lambda body: body["numbers"][0].update({"type": "PIGEON"})))


APP_KEY = {"Authorization": "App 003026bbc133714df1834b8638bb496e-8f4b3d9a-e931-478d-a994-28a725159ab9"}
BASE = "https://abcd12.api.infobip.com"
CONFIGURATIONS = f"{BASE}/resource-management/1/inbound-message-configurations"
FORWARD = {"type": "HTTP_FORWARD", "url": INBOUND_URL, "format": "MO_JSON_2"}
SMS = {"messages": [{"sender": "ACME", "destinations": [{"to": "15005550006"}], "content": {"text": "Hi"}}]}
CONVERSATION = "https://eu.conversation.api.sinch.com/v1/projects/p1"
BEARER = {"Authorization": "Bearer t0k3n"}
SEND = {
    "app_id": "01E3S8B6YCMRNR0GGM94H80ACX",
    "recipient": {"identified_by": {"channel_identities": [{"channel": "SMS", "identity": "+15005550006"}]}},
    "message": {"text_message": {"text": "Hi"}},
}

BAD_REQUESTS: dict[str, httpx.Request] = {
    "an HTTP forward without its url": httpx.Request(
        "POST",
        CONFIGURATIONS,
        json={"channel": "SMS", "number": "1", "forwarding": {"type": "HTTP_FORWARD"}},
        headers=APP_KEY,
    ),
    "an undocumented field in a configuration": httpx.Request(
        "POST", CONFIGURATIONS, json={"channel": "SMS", "numbr": "1", "forwarding": FORWARD}, headers=APP_KEY
    ),
    "a channel the discriminator does not map": httpx.Request(
        "POST", CONFIGURATIONS, json={"channel": "FAX", "number": "1", "forwarding": FORWARD}, headers=APP_KEY
    ),
    "a listing without the required channel": httpx.Request(
        "GET", CONFIGURATIONS, params={"number": "1"}, headers=APP_KEY
    ),
    "an undeclared query parameter": httpx.Request(
        "GET", f"{BASE}/numbers/1/numbers", params={"size": 5}, headers=APP_KEY
    ),
    "a query value of the wrong type": httpx.Request(
        "GET", f"{BASE}/numbers/1/numbers", params={"limit": "many"}, headers=APP_KEY
    ),
    "both text and binary content": httpx.Request(
        "POST",
        f"{BASE}/sms/3/messages",
        json={"messages": [{"destinations": [{"to": "1"}], "content": {"text": "a", "hex": "00"}}]},
        headers=APP_KEY,
    ),
    "a message without destinations": httpx.Request(
        "POST", f"{BASE}/sms/3/messages", json={"messages": [{"content": {"text": "a"}}]}, headers=APP_KEY
    ),
    "a bearer token where Infobip wants the App key": httpx.Request(
        "GET", f"{BASE}/account/1/balance", headers={"Authorization": "Bearer abc"}
    ),
    "no credentials": httpx.Request("GET", f"{BASE}/account/1/balance"),
    "an Infobip operation not in the contract": httpx.Request("PUT", f"{BASE}/numbers/1/numbers", headers=APP_KEY),
    "a conversation message of two kinds": httpx.Request(
        "POST",
        f"{CONVERSATION}/messages:send",
        json={**SEND, "message": {"text_message": {"text": "a"}, "media_message": {"url": "b"}}},
        headers=BEARER,
    ),
    "a conversation recipient that is neither a contact nor identities": httpx.Request(
        "POST", f"{CONVERSATION}/messages:send", json={**SEND, "recipient": {}}, headers=BEARER
    ),
    "a conversation message without app_id": httpx.Request(
        "POST", f"{CONVERSATION}/messages:send", json={k: v for k, v in SEND.items() if k != "app_id"}, headers=BEARER
    ),
    "a channel that does not exist": httpx.Request(
        "POST", f"{CONVERSATION}/messages:send", json={**SEND, "channel_priority_order": ["PAGER"]}, headers=BEARER
    ),
    "a conversation call without credentials": httpx.Request("GET", f"{CONVERSATION}/apps/a1"),
}


@pytest.mark.parametrize("breakage", sorted(BAD_REQUESTS))
def test_a_wrong_request_fails(breakage: str) -> None:
    request = BAD_REQUESTS[breakage]
    request.read()
    with pytest.raises(ContractViolation):
        check_request(request)


@pytest.mark.parametrize(
    ("request_", "operation_id"),
    [
        (
            httpx.Request(
                "POST", CONFIGURATIONS, json={"channel": "SMS", "number": "1", "forwarding": FORWARD}, headers=APP_KEY
            ),
            "manage-inbound-configuration",
        ),
        (
            httpx.Request("GET", CONFIGURATIONS, params={"channel": "SMS", "number": "1"}, headers=APP_KEY),
            "get-inbound-configurations",
        ),
        (httpx.Request("POST", f"{BASE}/sms/3/messages", json=SMS, headers=APP_KEY), "send-sms-messages"),
        (httpx.Request("POST", f"{CONVERSATION}/messages:send", json=SEND, headers=BEARER), "Messages_SendMessage"),
        (
            httpx.Request(
                "POST",
                f"{CONVERSATION}/messages:send",
                json={**SEND, "recipient": {"contact_id": "c1"}},
                headers=BEARER,
            ),
            "Messages_SendMessage",
        ),
    ],
    ids=["configuration", "listing", "sms", "conversation-identities", "conversation-contact"],
)
def test_a_good_hand_built_request_passes(request_: httpx.Request, operation_id: str) -> None:
    """The counterparts of the failures above: the same shapes, done right, pass."""
    request_.read()
    assert check_request(request_).operation_id == operation_id


# -- inbound webhook payloads (for the inbound parsers) ----------------------------------------

INFOBIP_MO = {  # Infobip's own example for receive-inbound-sms-messages (MO_JSON_2)
    "results": [
        {
            "messageId": "817790313235066447",
            "from": "385916242493",
            "to": "385921004026",
            "text": "QUIZ Correct answer is Paris",
            "cleanText": "Correct answer is Paris",
            "keyword": "QUIZ",
            "receivedAt": "2019-11-09T16:00:00.000+0000",
            "smsCount": 1,
            "price": {"pricePerMessage": 0, "currency": "EUR"},
            "callbackData": "callbackData",
        }
    ],
    "messageCount": 1,
    "pendingMessageCount": 1,
}
SINCH_MO = {
    "type": "mo_text",
    "id": "01FC66621VHDBN119Z8PMV1QPA",
    "from": "11203494390",
    "to": "11203453453",
    "body": "STOP",
    "received_at": "2021-12-02T10:00:00.000Z",
    "operator_id": "31612",
}


def test_the_webhook_contracts_are_copied_files_holding_only_their_callbacks() -> None:
    names = {n: contract_path(n).name for n in WEBHOOK_CONTRACT_NAMES}
    assert names == {
        "infobip_sms_webhooks": "infobip_sms_webhooks.subset.json",
        "sinch_sms_webhooks": "sinch_sms_webhooks.subset.json",
    }
    assert [op.operation_id for op in load_contract("infobip_sms_webhooks").operations] == [
        "receive-inbound-sms-messages"
    ]
    assert [op.operation_id for op in load_contract("sinch_sms_webhooks").operations] == ["incomingSMS"]
    assert contract_path(SINCH_CONVERSATION_CONTRACT).name == "sinch_conversation.handwritten.json"


def test_vendor_example_payloads_pass() -> None:
    infobip = "receive-inbound-sms-messages"
    assert check_webhook("infobip_sms_webhooks", infobip, INFOBIP_MO).operation_id == infobip
    assert check_webhook("infobip_sms_webhooks", infobip, json.dumps(INFOBIP_MO).encode()).operation_id == infobip
    assert check_webhook("sinch_sms_webhooks", "incomingSMS", SINCH_MO).template == "/_webhooks/incomingSMS"
    with_reference = {**SINCH_MO, "client_reference": "campaign-7"}
    assert check_webhook("sinch_sms_webhooks", "incomingSMS", with_reference).operation_id == "incomingSMS"


def _mo(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    body = copy.deepcopy(INFOBIP_MO)
    change(body)
    return body


BAD_PAYLOADS: dict[str, tuple[str, str, dict[str, Any], str]] = {
    "infobip: a number where text belongs": (
        "infobip_sms_webhooks",
        "receive-inbound-sms-messages",
        _mo(lambda b: b["results"][0].update({"text": 5})),
        "5 is not of type 'string'",
    ),
    "infobip: a field Infobip does not send": (
        "infobip_sms_webhooks",
        "receive-inbound-sms-messages",
        _mo(lambda b: b["results"][0].update({"body": "STOP"})),
        "'body' was unexpected",
    ),
    "infobip: a date that is not Infobip's format": (
        "infobip_sms_webhooks",
        "receive-inbound-sms-messages",
        _mo(lambda b: b["results"][0].update({"receivedAt": "yesterday"})),
        "'yesterday' does not match",
    ),
    "sinch: no sender": (
        "sinch_sms_webhooks",
        "incomingSMS",
        {k: v for k, v in SINCH_MO.items() if k != "from"},
        "'from' is a required property",
    ),
    "sinch: Infobip's shape sent to the Sinch parser": (
        "sinch_sms_webhooks",
        "incomingSMS",
        INFOBIP_MO,
        r"Additional properties are not allowed \(.*'results'.*were unexpected\)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PAYLOADS))
def test_a_wrong_payload_fails(case: str) -> None:
    contract, webhook, payload, message = BAD_PAYLOADS[case]
    with pytest.raises(ContractViolation, match=message):
        check_webhook(contract, webhook, payload)


def test_an_unknown_webhook_or_content_type_fails() -> None:
    with pytest.raises(ContractViolation, match="sinch_sms_webhooks has no webhook 'deliveryReport'"):
        check_webhook("sinch_sms_webhooks", "deliveryReport", SINCH_MO)
    with pytest.raises(ContractViolation):
        check_webhook(
            "sinch_sms_webhooks", "incomingSMS", b"from=1&to=2", content_type="application/x-www-form-urlencoded"
        )
