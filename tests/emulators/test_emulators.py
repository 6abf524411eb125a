"""LocalServer, the emulators' admin surface and seeds, and vendor behaviour the clients do not reach."""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from smschannel.emulators import (
    LocalServer,
    SinchState,
    TwilioState,
    create_twilio_app,
    seed_sinch,
    seed_twilio,
)
from tests.providers.support import SinchWorld, TwilioWorld

HEX32 = re.compile(r"^[0-9a-f]{32}$")
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def hello_app(events: list[str] | None = None) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if events is not None:
            events.append("startup")
        yield
        if events is not None:
            events.append("shutdown")

    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hello")

    return Starlette(routes=[Route("/hello", hello)], lifespan=lifespan)


def test_local_server_serves_any_asgi_app_and_runs_its_lifespan() -> None:
    events: list[str] = []
    threads_before = set(threading.enumerate())
    with LocalServer(hello_app(events)) as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
        assert server.running
        assert httpx.get(f"{server.url}/hello").text == "hello"
        assert events == ["startup"]
    assert events == ["startup", "shutdown"]
    assert not server.running
    assert set(threading.enumerate()) == threads_before


def test_a_stopped_server_refuses_connections_and_has_no_url() -> None:
    server = LocalServer(hello_app()).start()
    url = server.url
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/hello")
    with pytest.raises(
        RuntimeError, match="LocalServer is not running: call start\\(\\) or use it in a with block"
    ):
        _ = server.url


def test_a_server_can_start_again_and_not_twice_at_once() -> None:
    server = LocalServer(hello_app())
    for _ in range(2):
        with server:
            assert httpx.get(f"{server.url}/hello").status_code == 200
            with pytest.raises(RuntimeError, match="LocalServer is already running"):
                server.start()


def test_servers_side_by_side_get_their_own_ports() -> None:
    with LocalServer(hello_app()) as one, LocalServer(hello_app()) as two:
        assert one.url != two.url
        assert httpx.get(f"{two.url}/hello").text == "hello"


def test_stopping_with_a_keep_alive_connection_open_is_clean() -> None:
    with httpx.Client() as http, LocalServer(hello_app()) as server:
        assert http.get(f"{server.url}/hello").text == "hello"
        server.stop()
        assert not server.running


def test_an_app_that_fails_to_start_is_reported() -> None:
    @asynccontextmanager
    async def broken(app: Starlette) -> AsyncIterator[None]:
        raise RuntimeError("no database")
        yield  # pragma: no cover

    server = LocalServer(Starlette(lifespan=broken), startup_timeout=5)
    with pytest.raises(RuntimeError, match="failed to start \\(its startup raised; see the log\\)"):
        server.start()
    assert not server.running


def test_seeds_are_deterministic_and_well_formed() -> None:
    first, again, other = (seed_twilio(TwilioState(), seed) for seed in (7, 7, 8))
    assert first == again
    assert first["account_sid"] != other["account_sid"]
    assert re.fullmatch(r"AC[0-9a-f]{32}", first["account_sid"])
    assert re.fullmatch(r"MG[0-9a-f]{32}", first["messaging_service_sid"])
    assert HEX32.match(first["auth_token"])
    assert all(re.fullmatch(r"PN[0-9a-f]{32}", sid) for sid in first["number_sids"])
    assert first["phone_numbers"] == ["+14155550100", "+14155550101", "+14155550102"]
    assert first["sms_only_number"] == "+14155550102"
    assert all(E164.match(n) for n in first["phone_numbers"])
    assert first["messaging_service_numbers"] == ["+14155550101"]
    plan, plan_again = seed_sinch(SinchState(), 7), seed_sinch(SinchState(), 7)
    assert plan == plan_again
    assert HEX32.match(plan["service_plan_id"]) and HEX32.match(plan["api_token"])
    assert plan["phone_numbers"] == ["+14155550150"] and plan["region"] == "us"


def test_outbox_and_request_journal_are_readable(twilio: TwilioWorld) -> None:
    twilio.client().send_message("+15005550006", body="Hi", from_="+14155550100")
    assert [m["body"] for m in httpx.get(f"{twilio.url}/_emulator/outbox").json()["messages"]] == ["Hi"]
    requests = httpx.get(f"{twilio.url}/_emulator/requests").json()["requests"]
    assert requests == [
        {
            "method": "POST",
            "path": f"/2010-04-01/Accounts/{twilio.facts['account_sid']}/Messages.json",
            "query": "",
        }
    ]


def test_faults_are_injected_over_http_and_use_the_vendors_error_body(twilio: TwilioWorld) -> None:
    admin = f"{twilio.url}/_emulator/faults"
    assert httpx.post(admin, json={"status": 429, "count": 2, "retry_after": 1}).status_code == 204
    account_url = f"{twilio.url}/2010-04-01/Accounts/{twilio.facts['account_sid']}.json"
    auth = (twilio.facts["account_sid"], twilio.facts["auth_token"])
    for _ in range(2):
        limited = httpx.get(account_url, auth=auth)
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
        assert limited.json() == {
            "code": 20429,
            "message": "Too Many Requests",
            "more_info": "https://www.twilio.com/docs/errors/20429",
            "status": 429,
        }
    assert httpx.get(account_url, auth=auth).status_code == 200
    httpx.post(admin, json={"status": 503, "count": 5})
    assert httpx.delete(admin).status_code == 204
    assert httpx.get(account_url, auth=auth).status_code == 200
    assert httpx.get(f"{twilio.url}/_emulator/requests").json()["requests"][0]["path"].endswith(".json")


def test_a_fault_can_target_a_path(sinch: SinchWorld) -> None:
    httpx.post(f"{sinch.url}/_emulator/faults", json={"status": 503, "path": "/xms/v1/other"})
    assert sinch.client().verify().count == 0
    assert len(sinch.state.control.faults) == 1


def test_a_malformed_fault_is_refused(twilio: TwilioWorld) -> None:
    response = httpx.post(f"{twilio.url}/_emulator/faults", json={"status": "soon"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("invalid fault:")


def test_twilio_unknown_paths_and_methods_answer_like_twilio(twilio: TwilioWorld) -> None:
    missing = httpx.get(f"{twilio.url}/2010-04-01/Nothing.json")
    assert missing.status_code == 404
    assert missing.json()["code"] == 20404
    assert missing.json()["message"] == "The requested resource /2010-04-01/Nothing.json was not found"
    sid = twilio.facts["account_sid"]
    wrong_method = httpx.delete(f"{twilio.url}/2010-04-01/Accounts/{sid}.json")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, 20004)


def test_twilio_phone_number_filter_takes_wildcards(twilio: TwilioWorld) -> None:
    sid, token = twilio.facts["account_sid"], twilio.facts["auth_token"]
    url = f"{twilio.url}/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json"
    found = httpx.get(url, params={"PhoneNumber": "555010*"}, auth=(sid, token)).json()
    assert [n["phone_number"] for n in found["incoming_phone_numbers"]] == ["+14155550100", "+14155550101",
                                                                            "+14155550102"]
    assert "PhoneNumber=555010%2A" in found["uri"]


def test_twilio_hides_other_accounts_numbers(twilio: TwilioWorld) -> None:
    other = twilio.state.add_account("other")
    number = twilio.state.add_number(other.sid, phone_number="+14155550177")
    sid, token = twilio.facts["account_sid"], twilio.facts["auth_token"]
    response = httpx.get(
        f"{twilio.url}/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers/{number.sid}.json", auth=(sid, token)
    )
    assert (response.status_code, response.json()["code"]) == (404, 20404)


def test_twilio_refuses_an_unknown_sms_method(twilio: TwilioWorld) -> None:
    sid, token = twilio.facts["account_sid"], twilio.facts["auth_token"]
    number_sid = twilio.facts["number_sids"][0]
    response = httpx.post(
        f"{twilio.url}/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers/{number_sid}.json",
        data={"SmsMethod": "PUT"},
        auth=(sid, token),
    )
    assert (response.status_code, response.json()["code"]) == (400, 21609)
    assert twilio.state.numbers[number_sid].sms_method == "POST"


def test_twilio_serves_under_a_root_path() -> None:
    """Mounted behind a prefix, the emulator's links carry the prefix (clients join them back)."""
    state = TwilioState()
    facts = seed_twilio(state)
    prefix_app = Starlette()
    prefix_app.mount("/twilio", create_twilio_app(state))
    with LocalServer(prefix_app) as server:
        sid, token = facts["account_sid"], facts["auth_token"]
        page = httpx.get(
            f"{server.url}/twilio/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json?PageSize=1",
            auth=(sid, token),
        ).json()
        assert page["next_page_uri"].startswith(
            f"/twilio/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json?"
        )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "syntax_invalid_json"),
        (b"[]", "syntax_invalid_json"),
        (b'{"to": ["+15005550006"]}', "syntax_constraint_violation"),
        (b'{"to": "+15005550006", "body": "x"}', "syntax_constraint_violation"),
    ],
)
def test_sinch_refuses_malformed_batches(sinch: SinchWorld, body: bytes, code: str) -> None:
    response = httpx.post(
        f"{sinch.url}/xms/v1/{sinch.facts['service_plan_id']}/batches",
        content=body,
        headers={"Authorization": f"Bearer {sinch.facts['api_token']}", "Content-Type": "application/json"},
    )
    assert (response.status_code, response.json()["code"]) == (400, code)


def test_sinch_pages_batches_newest_first(sinch: SinchWorld) -> None:
    client = sinch.client()
    for text in ("one", "two", "three"):
        client.send_batch("+14155550150", to=["+15005550006"], body=text)
    headers = {"Authorization": f"Bearer {sinch.facts['api_token']}"}
    url = f"{sinch.url}/xms/v1/{sinch.facts['service_plan_id']}/batches"
    page = httpx.get(url, params={"page": 1, "page_size": 2}, headers=headers).json()
    assert (page["page"], page["page_size"], page["count"]) == (1, 1, 3)
    assert [b["body"] for b in page["batches"]] == ["one"]
    assert httpx.get(url, params={"page_size": 101}, headers=headers).status_code == 400
