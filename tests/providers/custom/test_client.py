"""CustomProviderClient against the local custom provider over real HTTP on loopback: every auth
type as the provider sees it, wrong secrets, the OAuth2 token cache, JWT claims, MAC signatures,
headers, payload rendering and verify_url."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
from collections.abc import Iterator

import httpx
import pytest

from smschannel.emulators import Fault
from smschannel.emulators.custom_provider_tls import LocalCustomProvider, create_throwaway_pki
from smschannel.errors import VendorAuthError, VendorError, VendorRejected, VendorUnavailable
from smschannel.providers.custom.client import CustomProviderClient, CustomProviderConfig
from tests.providers.custom_support import FROM, MESSAGE, TO, CustomWorld, custom_world, serve_custom
from tests.providers.support import FakeClock, RecordingTransport

SECRET_APPS = ("api_key", "basic", "bearer", "oauth2", "jwt", "mac")
WRONG = "wrong-0123456789abcdef0123456789"


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCustomProvider]:
    yield from serve_custom(create_throwaway_pki(tmp_path_factory.mktemp("custom-pki")))


@pytest.fixture
def custom(local: LocalCustomProvider) -> Iterator[CustomWorld]:
    yield from custom_world(local)


@pytest.fixture
def timed(local: LocalCustomProvider, fake_clock: FakeClock) -> Iterator[CustomWorld]:
    """The local provider and its clients on one fake clock."""
    yield from custom_world(local, clock=fake_clock)


def recorded(custom: CustomWorld, name: str, **kwargs: object) -> tuple[CustomProviderClient, RecordingTransport]:
    transport = RecordingTransport()
    return custom.client(name, transport=transport, **kwargs), transport  # type: ignore[arg-type]


# -- every auth type -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["api_key", "basic", "bearer", "oauth2", "jwt", "mac", "none", "mtls"])
def test_each_auth_type_is_accepted_by_the_local_provider(custom: CustomWorld, name: str) -> None:
    client = custom.client(name)
    verified = client.verify()
    sent = client.send(TO, from_=FROM, message=MESSAGE)

    base = custom.mtls_url if name == "mtls" else custom.url
    assert verified.checked and verified.status == 200 and verified.url == f"{base}/{name}/verify"
    assert (sent.status, sent.message_id) == (202, sent.body["id"])
    assert re.fullmatch(r"msg-[0-9a-f]{32}", sent.message_id or "")
    [record] = custom.outbox()
    auth_type = "none" if name == "mtls" else name
    assert (record["app"], record["auth_type"], record["mtls"], record["id"]) == (
        name, auth_type, name == "mtls", sent.message_id
    )
    expected = {"to": TO, "from": FROM, "text": MESSAGE}
    if name in ("basic", "bearer"):
        expected["authOption"] = name
    assert record["body"] == expected
    assert [(c.app, c.auth_type, c.mtls) for c in custom.state.verify_calls] == [(name, auth_type, name == "mtls")]


@pytest.mark.parametrize(
    ("name", "code", "text", "path"),
    [
        ("api_key", "invalid_api_key", "Invalid API key", "api_key/messages"),
        ("basic", "invalid_credentials", "Invalid application ID or API token", "basic/messages"),
        ("bearer", "invalid_token", "Invalid token", "bearer/messages"),
        ("jwt", "invalid_token", "The token signature does not verify", "jwt/messages"),
        ("mac", "invalid_signature", "The request signature does not verify", "mac/messages"),
    ],
)
def test_a_wrong_secret_is_an_auth_error_naming_the_providers_code_and_never_the_secret(
    custom: CustomWorld, name: str, code: str, text: str, path: str
) -> None:
    client = custom.client(name, api_token=WRONG, api_secret=WRONG)
    with pytest.raises(VendorAuthError) as caught:
        client.send(TO, from_=FROM, message=MESSAGE)
    error = caught.value
    assert (error.vendor, error.code, error.status) == ("custom", code, 401)
    assert str(error) == (
        f"Local SMS rejected the credentials: error {code}: {text} [HTTP 401, POST {custom.url}/{path}]"
    )
    for shown in (str(error), repr(error), repr(client)):
        assert WRONG not in shown
    assert custom.outbox() == []


def test_a_wrong_client_secret_fails_at_the_token_endpoint(custom: CustomWorld) -> None:
    client = custom.client("oauth2", api_token=WRONG)
    with pytest.raises(VendorAuthError) as caught:
        client.send(TO, from_=FROM, message=MESSAGE)
    assert str(caught.value) == (
        "Local SMS (OAuth2 token endpoint) rejected the credentials: error invalid_client: Client authentication"
        f" failed [HTTP 401, POST {custom.url}/oauth2/oauth/token]"
    )
    assert (caught.value.code, caught.value.status) == ("invalid_client", 401)
    assert WRONG not in str(caught.value)
    assert custom.state.token_requests == []


def test_a_wrong_app_id_is_refused_for_basic_auth(custom: CustomWorld) -> None:
    client = custom.client("basic", config=custom.config("basic", provider_app_id="app-someone-else"))
    with pytest.raises(VendorAuthError, match="error invalid_credentials"):
        client.verify()


@pytest.mark.parametrize(
    ("name", "header", "value"),
    [
        ("api_key", "X-API-Key", "{token}"),
        ("bearer", "Authorization", "Bearer {token}"),
        ("basic", "Authorization", "Basic {basic}"),
    ],
)
def test_the_auth_header_is_exactly_the_documented_one(custom: CustomWorld, name: str, header: str, value: str) -> None:
    facts = custom.app(name)
    token = facts["api_token"] or ""
    basic = base64.b64encode(f"{facts['provider_app_id']}:{token}".encode()).decode()
    client, transport = recorded(custom, name)
    client.send(TO, from_=FROM, message=MESSAGE)
    client.verify()
    for request, _ in transport.exchanges:
        assert request.headers[header] == value.format(token=token, basic=basic)


def test_repr_shows_no_secret(custom: CustomWorld) -> None:
    client = custom.client("bearer")
    assert repr(client) == (
        f"CustomProviderClient(provider_name='Local SMS', auth_type='bearer', provider_url='{custom.url}/bearer/"
        "messages', mtls=False, api_token='***')"
    )
    mac = custom.client("mac")
    assert (custom.app("mac")["api_secret"] or "?") not in repr(mac)
    assert repr(mac).endswith("mtls=False, api_secret='***')")


# -- OAuth2 ----------------------------------------------------------------------------------------


def test_the_oauth_token_is_fetched_once_and_reused(custom: CustomWorld) -> None:
    client, transport = recorded(custom, "oauth2")
    for _ in range(3):
        client.send(TO, from_=FROM, message=MESSAGE)
    client.verify()
    assert custom.state.token_requests == ["oauth2"]
    [token_request] = [r for r, _ in transport.exchanges if r.url.path.endswith("/oauth/token")]
    facts = custom.app("oauth2")
    assert json.loads(token_request.content) == {
        "grant_type": "client_credentials",
        "client_id": facts["provider_app_id"],
        "client_secret": facts["api_token"],
    }
    assert token_request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "Authorization" not in token_request.headers
    [issued] = custom.state.tokens
    sends = [r for r, _ in transport.exchanges if not r.url.path.endswith("/oauth/token")]
    assert [r.headers["Authorization"] for r in sends] == [f"Bearer {issued}"] * 4


def test_the_oauth_token_is_refreshed_shortly_before_it_expires(timed: CustomWorld, fake_clock: FakeClock) -> None:
    timed.state.apps["oauth2"].token_lifetime = 100  # refreshed 10 s early: min(30 s, a tenth)
    client = timed.client("oauth2")
    client.send(TO, from_=FROM, message=MESSAGE)
    fake_clock.now += 89
    fake_clock.wall_now += 89
    client.send(TO, from_=FROM, message=MESSAGE)
    assert timed.state.token_requests == ["oauth2"]
    fake_clock.now += 2
    fake_clock.wall_now += 2
    client.send(TO, from_=FROM, message=MESSAGE)
    assert timed.state.token_requests == ["oauth2", "oauth2"]
    assert len(timed.outbox()) == 3


def test_a_401_refreshes_the_token_once_and_sends_again(custom: CustomWorld) -> None:
    client = custom.client("oauth2")
    client.send(TO, from_=FROM, message="first")
    assert custom.state.expire_tokens() == 1  # the provider revokes it before smschannel expects
    client.send(TO, from_=FROM, message="second")
    assert custom.state.token_requests == ["oauth2", "oauth2"]
    assert [m["body"]["text"] for m in custom.outbox()] == ["first", "second"]
    posts = [e.path for e in custom.state.control.journal.entries() if e.method == "POST"]
    assert posts == [
        "/oauth2/oauth/token",
        "/oauth2/messages",
        "/oauth2/messages",  # 401: expired
        "/oauth2/oauth/token",
        "/oauth2/messages",
    ]


def test_a_token_refused_twice_is_an_auth_error_after_one_refresh(custom: CustomWorld) -> None:
    custom.state.apps["oauth2"].token_lifetime = 0  # every token is born expired
    client = custom.client("oauth2")
    with pytest.raises(VendorAuthError) as caught:
        client.send(TO, from_=FROM, message=MESSAGE)
    assert str(caught.value) == (
        f"Local SMS rejected the credentials: error expired_token: The access token expired"
        f" [HTTP 401, POST {custom.url}/oauth2/messages]"
    )
    assert custom.state.token_requests == ["oauth2", "oauth2"]
    assert custom.outbox() == []


def test_concurrent_sends_share_one_token(custom: CustomWorld) -> None:
    client = custom.client("oauth2")
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def send(index: int) -> None:
        barrier.wait()
        try:
            client.send(TO, from_=FROM, message=f"message {index}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert custom.state.token_requests == ["oauth2"]
    assert sorted(m["body"]["text"] for m in custom.outbox()) == [f"message {i}" for i in range(8)]


def test_oauth_body_placeholders_carry_the_secrets(custom: CustomWorld) -> None:
    body = '{"grant_type": "client_credentials", "client_id": "{{appId}}", "client_secret": "{{apiToken}}",' \
           ' "scope": "sms:send", "audience": ["{{appId}}"]}'
    client, transport = recorded(custom, "oauth2", config=custom.config("oauth2", oauth_body=body))
    client.send(TO, from_=FROM, message=MESSAGE)
    facts = custom.app("oauth2")
    assert json.loads(transport.exchanges[0][0].content) == {
        "grant_type": "client_credentials",
        "client_id": facts["provider_app_id"],
        "client_secret": facts["api_token"],
        "scope": "sms:send",
        "audience": [facts["provider_app_id"]],
    }


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        ({"token_type": "Bearer"}, VendorUnavailable,
         "Acme (OAuth2 token endpoint) answered POST /token without an access_token"),
        ({"access_token": "t", "token_type": "mac"}, VendorError,
         "Acme (OAuth2 token endpoint) answered POST /token with a 'mac' token; smschannel sends only Bearer tokens"),
    ],
)
def test_an_unusable_token_answer_is_an_error(answer: dict[str, str], error: type[VendorError], message: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=answer)

    config = CustomProviderConfig(
        provider_name="Acme",
        provider_url="https://sms.acme.example/send",
        payload_template='{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}"}',
        auth_type="oauth2",
        provider_app_id="app",
        oauth_url="https://sms.acme.example/token",
    )
    transport = httpx.MockTransport(handler)
    with CustomProviderClient(config, api_token="s", transport=transport) as client, pytest.raises(error) as caught:
        client.send(TO, from_=FROM, message=MESSAGE)
    assert str(caught.value) == message


def test_a_token_without_expires_in_is_reused_for_five_minutes(fake_clock: FakeClock) -> None:
    issued: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            issued.append(f"t{len(issued)}")
            return httpx.Response(200, json={"access_token": issued[-1]})
        return httpx.Response(202, json={"messageId": request.headers["Authorization"]})

    config = CustomProviderConfig(
        provider_name="Acme",
        provider_url="https://sms.acme.example/send",
        payload_template='{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}"}',
        auth_type="oauth2",
        provider_app_id="app",
        oauth_url="https://sms.acme.example/token",
    )
    with CustomProviderClient(
        config, api_token="s", transport=httpx.MockTransport(handler), clock=fake_clock.clock()
    ) as client:
        assert client.send(TO, from_=FROM, message="a").message_id == "Bearer t0"
        fake_clock.now += 269  # 300 s, refreshed 30 s early
        assert client.send(TO, from_=FROM, message="b").message_id == "Bearer t0"
        fake_clock.now += 2
        assert client.send(TO, from_=FROM, message="c").message_id == "Bearer t1"


# -- JWT -------------------------------------------------------------------------------------------


def _b64url_json(part: str) -> object:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_the_jwt_carries_the_configured_claims_and_a_short_lifetime(timed: CustomWorld, fake_clock: FakeClock) -> None:
    client, transport = recorded(timed, "jwt")
    client.send(TO, from_=FROM, message=MESSAGE)
    now = int(fake_clock.wall_now)
    app_id = timed.app("jwt")["provider_app_id"]
    [record] = timed.outbox()
    assert record["jwt_claims"] == {"iss": app_id, "aud": "local-sms", "iat": now, "exp": now + 300}

    token = transport.exchanges[0][0].headers["Authorization"].removeprefix("Bearer ")
    header, claims, signature = token.split(".")
    assert _b64url_json(header) == {"alg": "HS256", "typ": "JWT"}
    assert _b64url_json(claims) == record["jwt_claims"]
    key = (timed.app("jwt")["api_token"] or "").encode()
    expected = hmac.new(key, f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64encode(expected).rstrip(b"=").decode() == signature


def test_a_jwt_without_the_claims_the_provider_expects_is_forbidden(custom: CustomWorld) -> None:
    client = custom.client("jwt", config=custom.config("jwt", jwt_payload='{"iss": "{{appId}}", "aud": "other"}'))
    with pytest.raises(VendorAuthError) as caught:
        client.send(TO, from_=FROM, message=MESSAGE)
    assert (caught.value.status, caught.value.code) == (403, "invalid_claims")
    assert "The token's aud claim is not the one this application expects" in str(caught.value)


def test_a_jwt_signed_at_a_wrong_time_is_refused(timed: CustomWorld, fake_clock: FakeClock) -> None:
    client = timed.client("jwt")
    timed.state.clock = lambda: fake_clock.wall_now + 301  # the provider's clock is 5 minutes ahead
    with pytest.raises(VendorAuthError, match="error expired_token: The token has expired"):
        client.send(TO, from_=FROM, message=MESSAGE)
    timed.state.clock = lambda: fake_clock.wall_now - 120  # ... or 2 minutes behind
    with pytest.raises(VendorAuthError, match="error invalid_token: The token was issued in the future"):
        client.send(TO, from_=FROM, message=MESSAGE)


# -- MAC -------------------------------------------------------------------------------------------


def _signature(secret: str, lines: list[str], *, hash_format: str) -> str:
    digest = hmac.new(secret.encode(), "\n".join(lines).encode(), hashlib.sha256).digest()
    return digest.hex() if hash_format == "hex" else base64.b64encode(digest).decode()


@pytest.mark.parametrize("hash_format", ["hex", "base64"])
def test_the_mac_signature_follows_the_documented_canonical_string(
    timed: CustomWorld, fake_clock: FakeClock, hash_format: str
) -> None:
    timed.state.apps["mac"].mac_hash_format = hash_format
    url = f"{timed.url}/mac/messages?channel=sms&v=1"
    config = timed.config("mac", provider_url=url, mac_hash_format=hash_format)
    client, transport = recorded(timed, "mac", config=config)
    client.send(TO, from_=FROM, message=MESSAGE)
    client.verify()
    secret = timed.app("mac")["api_secret"] or ""
    (post, _), (get, _) = transport.exchanges
    for request, path, body in ((post, "/mac/messages?channel=sms&v=1", post.content), (get, "/mac/verify", b"")):
        headers = request.headers
        assert headers["X-App-Id"] == timed.app("mac")["provider_app_id"]
        assert headers["X-Timestamp"] == str(int(fake_clock.wall_now))
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Nonce"])
        lines = [request.method, path, headers["X-Timestamp"], headers["X-Nonce"], hashlib.sha256(body).hexdigest()]
        assert headers["X-Signature"] == _signature(secret, lines, hash_format=hash_format)
    assert post.headers["X-Nonce"] != get.headers["X-Nonce"]
    assert len(timed.outbox()) == 1


def test_a_tampered_replayed_or_stale_mac_request_is_refused(timed: CustomWorld, fake_clock: FakeClock) -> None:
    client, transport = recorded(timed, "mac")
    client.send(TO, from_=FROM, message="pay 1 EUR")
    request = transport.exchanges[0][0]
    signed = {k: v for k, v in request.headers.items() if k.lower().startswith("x-") or k.lower() == "content-type"}

    tampered = httpx.post(str(request.url), content=request.content.replace(b"1 EUR", b"9 EUR"), headers=signed)
    assert (tampered.status_code, tampered.json()["error"]) == (401, "invalid_signature")
    other_path = httpx.post(f"{timed.url}/mac/messages?x=1", content=request.content, headers=signed)
    assert (other_path.status_code, other_path.json()["error"]) == (401, "invalid_signature")
    replayed = httpx.post(str(request.url), content=request.content, headers=signed)
    assert (replayed.status_code, replayed.json()["error"]) == (401, "replayed_nonce")
    assert [m["body"]["text"] for m in timed.outbox()] == ["pay 1 EUR"]

    timed.state.clock = lambda: fake_clock.wall_now + 301
    with pytest.raises(VendorAuthError, match="error stale_timestamp: X-Timestamp must be within 300 s"):
        client.send(TO, from_=FROM, message=MESSAGE)


def test_a_mac_signed_in_the_wrong_format_is_refused(custom: CustomWorld) -> None:
    client = custom.client("mac", config=custom.config("mac", mac_hash_format="base64"))
    with pytest.raises(VendorAuthError, match="error invalid_signature"):
        client.send(TO, from_=FROM, message=MESSAGE)


# -- headers, Content-Type, payload ----------------------------------------------------------------


def test_configured_headers_and_the_json_content_type_are_sent(custom: CustomWorld) -> None:
    headers = {"X-Tenant": "acme-eu", "Accept": "application/vnd.acme+json", "User-Agent": "acme-bridge/2"}
    client, transport = recorded(custom, "oauth2", config=custom.config("oauth2", headers=headers))
    client.send(TO, from_=FROM, message=MESSAGE)
    client.verify()
    [record] = custom.outbox()
    assert {k: record["headers"][k.lower()] for k in headers} == headers
    assert record["headers"]["content-type"] == "application/json; charset=utf-8"
    assert "authorization" not in record["headers"]  # the provider's outbox keeps no credential
    token_request, send_request, verify_request = (r for r, _ in transport.exchanges)
    for request in (send_request, verify_request):
        assert request.headers["X-Tenant"] == "acme-eu"
        assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "X-Tenant" not in token_request.headers  # headers are for the provider's API, not its token endpoint


@pytest.mark.parametrize("name", ["Content-Type", "content-type", "CONTENT-TYPE"])
def test_content_type_cannot_be_overridden_or_removed(custom: CustomWorld, name: str) -> None:
    for value in ("text/plain", ""):
        with pytest.raises(ValueError) as caught:
            custom.client("bearer", config=custom.config("bearer", headers={name: value}))
        assert str(caught.value) == (
            "invalid custom provider 'Local SMS': headers cannot set Content-Type: smschannel always sends"
            " application/json; charset=utf-8"
        )


@pytest.mark.parametrize(
    "message",
    [
        'She said "STOP" \\ then left',
        "line one\nline two\r\n\tand a tab",
        "literally {{message}} {{toNumber}} }}{{",
        'x", "to": "+19999999999", "y": "',
        "emoji 😀👍🏽 and 𝄞 and 漢字 and \u2028",
    ],
)
def test_any_message_arrives_exactly_as_written_in_valid_json(custom: CustomWorld, message: str) -> None:
    client, transport = recorded(custom, "bearer")
    client.send(TO, from_=FROM, message=message)
    [record] = custom.outbox()
    assert record["body"] == {"to": TO, "from": FROM, "text": message, "authOption": "bearer"}
    wire = transport.exchanges[0][0].content
    assert json.loads(wire.decode("utf-8"))["text"] == message


def test_payload_previews_what_send_posts(custom: CustomWorld) -> None:
    client = custom.client("none")
    assert client.payload(TO, from_=FROM, message='a "b"') == {"to": TO, "from": FROM, "text": 'a "b"'}


# -- verify, rate limit, retries, errors -------------------------------------------------------


def test_verify_without_verify_url_checks_nothing_and_says_so(custom: CustomWorld) -> None:
    client = custom.client("bearer", config=custom.config("bearer", verify_url=None))
    result = client.verify()
    assert (result.checked, result.url, result.status) == (False, None, None)
    assert result.detail == "verify_url is not set: the credentials of Local SMS were not checked"
    assert custom.state.control.journal.entries() == []


@pytest.mark.parametrize("name", SECRET_APPS)
def test_verify_calls_verify_url_with_the_auth_and_fails_with_a_wrong_secret(custom: CustomWorld, name: str) -> None:
    assert custom.client(name).verify().checked
    with pytest.raises(VendorAuthError) as caught:
        custom.client(name, api_token=WRONG, api_secret=WRONG).verify()
    assert caught.value.status == 401 and WRONG not in str(caught.value)
    assert [c.app for c in custom.state.verify_calls] == [name]


def test_rate_limit_rps_spaces_the_sends(timed: CustomWorld, fake_clock: FakeClock) -> None:
    client = timed.client("none", config=timed.config("none", rate_limit_rps=4.0))
    for _ in range(3):
        client.send(TO, from_=FROM, message=MESSAGE)
    assert fake_clock.sleeps == [0.25, 0.25]
    assert len(timed.outbox()) == 3


def test_a_send_the_provider_did_not_act_on_is_retried(timed: CustomWorld, fake_clock: FakeClock) -> None:
    timed.state.control.faults.add(Fault(status=503, retry_after="2", path="/api_key/messages"))
    sent = timed.client("api_key").send(TO, from_=FROM, message=MESSAGE)
    assert sent.status == 202 and fake_clock.sleeps == [2.0]
    assert len(timed.outbox()) == 1


def test_a_send_that_fails_after_reaching_the_provider_is_not_retried(custom: CustomWorld) -> None:
    custom.state.control.faults.add(Fault(status=500, path="/bearer/messages"))
    with pytest.raises(VendorUnavailable, match=r"^Local SMS is unavailable: error internal_server_error"):
        custom.client("bearer").send(TO, from_=FROM, message=MESSAGE)
    assert [e.path for e in custom.state.control.journal.entries()] == ["/bearer/messages"]


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (400, {"error": {"code": "E21", "message": "Invalid destination"}}, VendorRejected,
         "Acme refused the request: error E21: Invalid destination"),
        (422, {"code": 1001, "detail": "to is not a phone number"}, VendorRejected,
         "Acme refused the request: error 1001: to is not a phone number"),
        (403, {"error": "forbidden", "error_description": "IP not allowed"}, VendorAuthError,
         "Acme rejected the credentials: error forbidden: IP not allowed"),
        (400, ["unexpected"], VendorRejected, 'Acme refused the request: ["unexpected"]'),
    ],
)
def test_the_providers_own_error_code_and_message_are_kept(
    status: int, body: object, error: type[VendorError], message: str
) -> None:
    config = CustomProviderConfig(
        provider_name="Acme",
        provider_url="https://sms.acme.example/send",
        payload_template='{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}"}',
    )
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    with CustomProviderClient(config, transport=transport) as client, pytest.raises(error) as caught:
        client.send(TO, from_=FROM, message=MESSAGE)
    assert str(caught.value) == f"{message} [HTTP {status}, POST https://sms.acme.example/send]"
    assert caught.value.vendor == "custom"


def test_an_invalid_configuration_is_refused_with_every_rule_it_breaks() -> None:
    config = CustomProviderConfig(
        provider_name="Acme",
        provider_url="https://sms.acme.example/send",
        payload_template='{"text": "{{message}}"}',
        auth_type="bearer",
    )
    with pytest.raises(ValueError) as caught:
        CustomProviderClient(config)
    assert str(caught.value) == (
        "invalid custom provider 'Acme': payload_template must contain {{toNumber}} and {{fromNumber}};"
        " api_token is required when auth_type is bearer (set api_token_env or api_token)"
    )
