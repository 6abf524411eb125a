"""The clients' requests and the emulators' answers, checked against the vendors' OpenAPI files.

Every operation in tests/contracts/ is exercised: each request a client sends is validated (path,
method, query parameters, form or JSON body, auth scheme) and so is each answer the emulator gives
(status and JSON body, success and error). The last tests prove the checks bite.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from smschannel.errors import VendorAuthError, VendorRejected
from tests.providers.contract import CONTRACT_NAMES, ContractViolation, check_request, check_response, load_contract
from tests.providers.support import RecordingTransport, SinchWorld, TwilioWorld

Exchange = tuple[httpx.Request, httpx.Response]


def twilio_exchanges(twilio: TwilioWorld) -> list[Exchange]:
    """Every TwilioClient call, successful and failing, as sent and answered over loopback, and the calls only
    the official SDK makes."""
    recorder = RecordingTransport()
    facts = twilio.facts
    client = twilio.client(transport=recorder)
    client.verify()
    client.incoming_numbers(page_size=1)
    client.incoming_numbers(phone_number=facts["phone_numbers"][0])
    client.owns_sender(facts["phone_numbers"][1], messaging_service_sid=facts["messaging_service_sid"])
    client.messaging_service_numbers(facts["messaging_service_sid"], page_size=1)
    client.update_number_sms_url(facts["number_sids"][0], sms_url="https://registry.example/inbound/1")
    client.update_messaging_service_inbound(
        facts["messaging_service_sid"],
        url="https://registry.example/inbound/2",
        use_inbound_webhook_on_number=False,
    )
    client.update_messaging_service_inbound(facts["messaging_service_sid"], url=None)
    client.send_message("+15005550006", body="Reply STOP to opt out", from_=facts["phone_numbers"][0])
    sent = client.send_message("+15005550006", body="Hi", messaging_service_sid=facts["messaging_service_sid"])
    client.send_message("+15005550006", body="See", from_=facts["phone_numbers"][0],
                        media_urls=["https://cdn.example.com/offer.jpg"])
    sid = facts["account_sid"]
    with httpx.Client(transport=recorder, auth=(sid, facts["auth_token"])) as http:
        # What only the official SDK calls (tests/emulators/test_vendor_sdks.py), answered to the contract too.
        http.get(f"{twilio.url}/2010-04-01/Accounts/{sid}/Messages.json", params={"PageSize": 1})
        http.get(f"{twilio.url}/2010-04-01/Accounts/{sid}/Messages/{sent.sid}.json")
        http.get(f"{twilio.url}/v1/Services", params={"PageSize": 50})
    with pytest.raises(VendorRejected):
        client.incoming_number("PN" + "0" * 32)
    with pytest.raises(VendorRejected):
        client.messaging_service("MG" + "0" * 32)
    with pytest.raises(VendorRejected):
        client.send_message("+15005550006", body="Hi", from_="+15005550009")
    with pytest.raises(VendorRejected, match="21606"):
        client.send_message("+15005550006", body="See", from_=facts["sms_only_number"],
                            media_urls=["https://cdn.example.com/offer.jpg"])
    with pytest.raises(VendorAuthError):
        twilio.client(auth_token="0" * 32, transport=recorder).verify()
    return recorder.exchanges


def sinch_exchanges(sinch: SinchWorld) -> list[Exchange]:
    recorder = RecordingTransport()
    client = sinch.client(transport=recorder)
    client.verify()
    since = datetime.now(UTC) - timedelta(minutes=1)
    sent = client.send_batch(sinch.facts["phone_numbers"][0], to=["+15005550006", "+15005550007"], body="Hello",
                             client_reference="smc-contract-1", callback_url="https://reports.example.com/sinch")
    found = client.find_batch("smc-contract-1", from_=sinch.facts["phone_numbers"][0], start_date=since)
    assert found is not None and found.id == sent.id
    assert client.find_batch("smc-never-sent", from_=sinch.facts["phone_numbers"][0], start_date=since) is None
    client.verify()
    plan = sinch.facts["service_plan_id"]
    with httpx.Client(transport=recorder, headers={"Authorization": f"Bearer {sinch.facts['api_token']}"}) as http:
        http.get(f"{sinch.url}/xms/v1/{plan}/batches/{sent.id}")  # what only the official SDK calls
    with pytest.raises(VendorAuthError):
        sinch.client(api_token="0" * 32, transport=recorder).verify()
    return recorder.exchanges


def test_every_twilio_call_and_answer_keeps_the_contract(twilio: TwilioWorld) -> None:
    exchanges = twilio_exchanges(twilio)
    covered = set()
    for request, response in exchanges:
        covered.add(check_request(request).operation_id)
        check_response(request, response)
    expected = {op.operation_id for name in CONTRACT_NAMES[:2] for op in load_contract(name).operations}
    assert covered == expected
    statuses = {response.status_code for _, response in exchanges}
    assert {200, 201, 400, 401, 404} <= statuses


def test_every_sinch_call_and_answer_keeps_the_contract(sinch: SinchWorld) -> None:
    exchanges = sinch_exchanges(sinch)
    covered = set()
    for request, response in exchanges:
        covered.add(check_request(request).operation_id)
        check_response(request, response)
    assert covered == {op.operation_id for op in load_contract("sinch_sms").operations}
    assert {response.status_code for _, response in exchanges} == {200, 201, 401}
    listed = json.loads(exchanges[2][1].content)
    assert listed["count"] == 1 and listed["batches"][0]["id"]


def test_twilio_paging_answers_keep_the_contract_on_every_page(twilio: TwilioWorld) -> None:
    recorder = RecordingTransport()
    for index in range(3):
        twilio.state.add_number(twilio.facts["account_sid"], phone_number=f"+1415555011{index}")
    twilio.client(transport=recorder).incoming_numbers(page_size=2)
    pages = [json.loads(response.content) for _, response in recorder.exchanges]
    assert [p["page"] for p in pages] == [0, 1, 2]
    assert pages[-1]["next_page_uri"] is None and pages[1]["previous_page_uri"]
    for request, response in recorder.exchanges:
        check_request(request)
        check_response(request, response)


def test_emulator_refusals_keep_the_contract(twilio: TwilioWorld, sinch: SinchWorld) -> None:
    """Answers to requests the clients never send (bad input) still have the vendor's error shape."""
    sid, token = twilio.facts["account_sid"], twilio.facts["auth_token"]
    with httpx.Client(auth=(sid, token)) as http:
        response = http.post(f"{twilio.url}/2010-04-01/Accounts/{sid}/Messages.json", data={"Body": "no To"})
        assert response.json()["code"] == 21604
        check_response(response.request, response)
        response = http.get(f"{twilio.url}/2010-04-01/Accounts/{sid}.json", auth=None)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Basic")
        check_response(response.request, response)
    plan = sinch.facts["service_plan_id"]
    with httpx.Client(headers={"Authorization": f"Bearer {sinch.facts['api_token']}"}) as http:
        response = http.post(f"{sinch.url}/xms/v1/{plan}/batches", json={"to": [], "body": "x"})
        assert response.status_code == 400 and response.json()["code"] == "syntax_constraint_violation"
        check_response(response.request, response)


# -- the checks bite ---------------------------------------------------------------------------


def _mutated(response: httpx.Response, change: Callable[[dict[str, object]], object]) -> httpx.Response:
    body = copy.deepcopy(json.loads(response.content))
    change(body)
    return httpx.Response(response.status_code, json=body, request=response.request)


def _first_item(body: dict[str, object]) -> dict[str, object]:
    for value in body.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return value[0]
    return body


def _wrong_type(body: dict[str, object]) -> None:
    item = _first_item(body)
    key = next(k for k in ("sid", "id", "page") if k in item)
    item[key] = "zero" if isinstance(item[key], int) else 12345


def _garbage(body: dict[str, object]) -> None:
    body.clear()
    body["unexpected"] = 1


RESPONSE_BREAKAGES: dict[str, Callable[[dict[str, object]], object]] = {
    "garbage instead of the resource": _garbage,
    "a field of the wrong type": _wrong_type,
    "an undocumented field": lambda body: _first_item(body).update({"smschannel_extra": "x"}),
}


@pytest.mark.parametrize("breakage", sorted(RESPONSE_BREAKAGES))
def test_a_wrong_answer_fails_for_every_operation(
    twilio: TwilioWorld, sinch: SinchWorld, breakage: str
) -> None:
    successes = [(q, r) for q, r in twilio_exchanges(twilio) + sinch_exchanges(sinch) if r.is_success]
    seen = set()
    for request, response in successes:
        op = check_response(request, response)
        seen.add(op.operation_id)
        with pytest.raises(ContractViolation, match=op.operation_id):
            check_response(request, _mutated(response, RESPONSE_BREAKAGES[breakage]))
    assert len(seen) == sum(len(load_contract(name).operations) for name in CONTRACT_NAMES)


def test_a_missing_twilio_field_fails(twilio: TwilioWorld) -> None:
    request, response = twilio_exchanges(twilio)[0]  # FetchAccount
    with pytest.raises(ContractViolation, match="'status' is a required property"):
        check_response(request, _mutated(response, lambda body: body.pop("status")))


def test_a_value_outside_the_enum_fails(twilio: TwilioWorld) -> None:
    request, response = twilio_exchanges(twilio)[0]
    with pytest.raises(ContractViolation, match="'sleeping' is not one of"):
        check_response(request, _mutated(response, lambda body: body.update({"status": "sleeping"})))


def test_a_wrong_error_body_fails(twilio: TwilioWorld) -> None:
    request, response = twilio_exchanges(twilio)[-1]  # the 401
    assert response.status_code == 401
    check_response(request, response)
    with pytest.raises(ContractViolation):
        check_response(request, _mutated(response, lambda body: body.update({"code": "20003"})))


ACCOUNT = "AC" + "a" * 32
NUMBER_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers/PN{'b' * 32}.json"
BASIC = {"Authorization": "Basic " + "eDp5"}

BAD_REQUESTS: dict[str, httpx.Request] = {
    "an undocumented form field": httpx.Request(
        "POST", NUMBER_URL, data={"SmsHook": "https://x.example"}, headers=BASIC
    ),
    "a form value of the wrong type": httpx.Request(
        "POST", NUMBER_URL, data={"VoiceCallerIdLookup": "maybe"}, headers=BASIC
    ),
    "a missing required field": httpx.Request(
        "POST",
        f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json",
        data={"Body": "x"},
        headers=BASIC,
    ),
    "an undeclared query parameter": httpx.Request(
        "GET", NUMBER_URL, params={"Expand": "all"}, headers=BASIC
    ),
    "a query value out of range": httpx.Request(
        "GET",
        f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers.json?PageSize=0",
        headers=BASIC,
    ),
    "a malformed path parameter": httpx.Request(
        "GET", "https://api.twilio.com/2010-04-01/Accounts/AC12.json", headers=BASIC
    ),
    "no credentials": httpx.Request("GET", f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}.json"),
    "an operation not in the contract": httpx.Request("DELETE", NUMBER_URL, headers=BASIC),
    "a Sinch batch without recipients": httpx.Request(
        "POST",
        "https://us.sms.api.sinch.com/xms/v1/plan/batches",
        json={"body": "x"},
        headers={"Authorization": "Bearer t"},
    ),
}


@pytest.mark.parametrize("breakage", sorted(BAD_REQUESTS))
def test_a_wrong_request_fails(breakage: str) -> None:
    request = BAD_REQUESTS[breakage]
    request.read()
    with pytest.raises(ContractViolation):
        check_request(request)


def test_a_good_hand_built_request_passes() -> None:
    """The counterpart of the failures above: the same shapes, done right, pass."""
    request = httpx.Request(
        "POST", NUMBER_URL, data={"SmsUrl": "https://x.example", "SmsMethod": "POST"}, headers=BASIC
    )
    request.read()
    assert check_request(request).operation_id == "UpdateIncomingPhoneNumber"
