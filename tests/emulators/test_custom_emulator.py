"""The local custom provider itself: its seed, and what it refuses when called by hand the way a
careless or hostile client would (no smschannel client involved)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from smschannel.emulators.custom_provider_state import CustomProviderState, seed_custom_providers
from smschannel.emulators.custom_provider_tls import LocalCustomProvider, create_throwaway_pki
from smschannel.providers.custom.client import AUTH_TYPES, client_from_attributes, validate_custom_config
from tests.providers.custom_support import CustomWorld, config_from, custom_world, serve_custom

FACT_KEYS = {
    "provider_name", "auth_type", "mtls", "provider_app_id", "provider_url", "verify_url", "payload_template",
    "api_token", "api_secret", "mac_hash_format", "oauth_url", "oauth_body", "jwt_payload", "client_cert_file",
    "client_key_file", "ca_cert_file",
}  # fmt: skip


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCustomProvider]:
    yield from serve_custom(create_throwaway_pki(tmp_path_factory.mktemp("custom-pki")))


@pytest.fixture
def custom(local: LocalCustomProvider) -> Iterator[CustomWorld]:
    yield from custom_world(local)


def test_the_seed_describes_one_working_credential_per_auth_type(custom: CustomWorld) -> None:
    facts = custom.facts
    assert list(facts["providers"]) == [*AUTH_TYPES, "mtls"]
    assert facts["ca_cert_file"] == str(custom.pki.ca_cert)
    json.dumps(facts)  # endpoints.json holds it as it is
    for name, app in facts["providers"].items():
        assert set(app) == FACT_KEYS
        assert app["provider_url"] == f"{custom.mtls_url if name == 'mtls' else custom.url}/{name}/messages"
        problems = validate_custom_config(
            config_from(app),
            has_api_token=app["api_token"] is not None,
            has_api_secret=app["api_secret"] is not None,
            has_client_certificate=app["client_cert_file"] is not None,
        )
        assert problems == [], name
    assert facts["providers"]["oauth2"]["oauth_url"] == f"{custom.url}/oauth2/oauth/token"
    assert json.loads(facts["providers"]["jwt"]["jwt_payload"] or "") == {"iss": "{{appId}}", "aud": "local-sms"}


def test_the_same_seed_gives_the_same_facts_and_no_mtls_without_its_server() -> None:
    first = seed_custom_providers(CustomProviderState(), 7, url="http://127.0.0.1:1")
    second = seed_custom_providers(CustomProviderState(), 7, url="http://127.0.0.1:1")
    other = seed_custom_providers(CustomProviderState(), 8, url="http://127.0.0.1:1")
    assert first == second
    assert first["providers"]["bearer"]["api_token"] != other["providers"]["bearer"]["api_token"]
    assert list(first["providers"]) == list(AUTH_TYPES)
    assert (first["mtls_url"], first["ca_cert_file"]) == (None, None)


def _b64url(data: object) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _jwt(header: dict[str, object], claims: dict[str, object], key: str) -> str:
    head, body = _b64url(header), _b64url(claims)
    signature = hmac.new(key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64url(signature)}"


@pytest.mark.parametrize(
    ("header", "claims", "status", "message"),
    [
        ({"alg": "HS256"}, {"iat": 0, "exp": 300}, 202, None),
        ({"alg": "none"}, {"iat": 0, "exp": 300}, 401, "The token must be signed with HS256"),
        ({"alg": "HS512"}, {"iat": 0, "exp": 300}, 401, "The token must be signed with HS256"),
        ({"alg": "HS256"}, {"iat": 0}, 401, "The token must carry numeric iat and exp claims"),
        ({"alg": "HS256"}, {"iat": 0, "exp": 7200}, 401, "The token lives longer than 3600 s"),
        ({"alg": "HS256"}, {"iat": -400, "exp": -100}, 401, "The token has expired"),
    ],
)
def test_the_provider_checks_jwts_strictly(
    custom: CustomWorld, header: dict[str, object], claims: dict[str, object], status: int, message: str | None
) -> None:
    app = custom.app("jwt")
    now = int(custom.state.clock())
    timed = {k: now + v if isinstance(v, int) else v for k, v in claims.items()}
    token = _jwt(header, {"iss": app["provider_app_id"], "aud": "local-sms", **timed}, app["api_token"] or "")
    answer = httpx.post(app["provider_url"], json={"text": "x"}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == status
    if message is not None:
        assert answer.json()["message"] == message


def test_a_jwt_with_its_signature_stripped_is_refused(custom: CustomWorld) -> None:
    app = custom.app("jwt")
    now = int(custom.state.clock())
    token = _jwt({"alg": "HS256"}, {"iss": app["provider_app_id"], "iat": now, "exp": now + 60}, "guess")
    head, body, _ = token.split(".")
    for forged in (f"{head}.{body}.", f"{head}.{body}", token):
        answer = httpx.post(app["provider_url"], json={}, headers={"Authorization": f"Bearer {forged}"})
        assert answer.status_code == 401


def test_the_token_endpoint_takes_json_or_a_form_and_tokens_can_be_expired(custom: CustomWorld) -> None:
    app = custom.app("oauth2")
    fields = {
        "grant_type": "client_credentials",
        "client_id": app["provider_app_id"],
        "client_secret": app["api_token"],
    }
    oauth_url = app["oauth_url"] or ""
    as_json = httpx.post(oauth_url, json=fields).json()
    as_form = httpx.post(oauth_url, data=fields).json()
    for issued in (as_json, as_form):
        assert (issued["token_type"], issued["expires_in"]) == ("Bearer", 3600)
    headers = {"Authorization": f"Bearer {as_form['access_token']}"}
    assert httpx.get(app["verify_url"], headers=headers).status_code == 200

    assert httpx.post(f"{custom.url}/_emulator/oauth/expire").json() == {"expired": 2}
    expired = httpx.get(app["verify_url"], headers=headers)
    assert (expired.status_code, expired.json()["error"]) == (401, "expired_token")
    assert expired.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'

    wrong_grant = httpx.post(oauth_url, json={**fields, "grant_type": "password"})
    assert (wrong_grant.status_code, wrong_grant.json()["error"]) == (400, "unsupported_grant_type")
    not_oauth = httpx.post(f"{custom.url}/bearer/oauth/token", json=fields)
    assert not_oauth.status_code == 404


def test_another_apps_token_is_forbidden(custom: CustomWorld) -> None:
    app = custom.app("oauth2")
    custom.state.add_app("oauth2-b", auth_type="oauth2", app_id="app-b", api_token="secret-b")
    other = httpx.post(
        f"{custom.url}/oauth2-b/oauth/token",
        json={"grant_type": "client_credentials", "client_id": "app-b", "client_secret": "secret-b"},
    ).json()["access_token"]
    answer = httpx.get(app["verify_url"], headers={"Authorization": f"Bearer {other}"})
    assert (answer.status_code, answer.json()["error"]) == (403, "insufficient_scope")


@pytest.mark.parametrize(
    ("content", "content_type", "status", "error"),
    [
        (b'{"text": "hi"}', "application/json", 202, None),
        (b'{"text": "hi"}', "text/plain", 415, "unsupported_media_type"),
        (b'{"text": "hi"}', "application/json; charset=latin-1", 415, "unsupported_media_type"),
        (b'{"text": "hi",}', "application/json", 400, "invalid_json"),
        (b'["hi"]', "application/json", 400, "invalid_json"),
        (b'{"text": "\xff"}', "application/json", 400, "invalid_json"),
    ],
)
def test_the_provider_accepts_only_a_json_object(
    custom: CustomWorld, content: bytes, content_type: str, status: int, error: str | None
) -> None:
    answer = httpx.post(custom.app("none")["provider_url"], content=content, headers={"Content-Type": content_type})
    assert answer.status_code == status
    if error is not None:
        assert answer.json()["error"] == error


def test_unknown_applications_and_methods_answer_in_the_providers_error_shape(custom: CustomWorld) -> None:
    missing = httpx.post(f"{custom.url}/nobody/messages", json={})
    assert (missing.status_code, missing.json()) == (
        404, {"error": "not_found", "message": "No application at /nobody/messages"}
    )
    wrong_method = httpx.get(f"{custom.url}/none/messages")
    assert (wrong_method.status_code, wrong_method.json()["error"]) == (405, "method_not_allowed")


def test_the_outbox_keeps_no_credential(custom: CustomWorld) -> None:
    app = custom.app("api_key")
    token = app["api_token"]
    assert token is not None
    httpx.post(app["provider_url"], json={"text": "hi"}, headers={"X-API-Key": token})
    [record] = httpx.get(f"{custom.url}/_emulator/outbox").json()["messages"]
    assert record["body"] == {"text": "hi"}
    assert "x-api-key" not in record["headers"] and token not in json.dumps(record)


def test_every_seeded_credential_works_as_given_to_the_provider(custom: CustomWorld) -> None:
    """What `smschannel up` lists is enough: its attributes and secrets make a working client."""
    for name, app in custom.facts["providers"].items():
        secrets = {k: v for k, v in (("api_token", app["api_token"]), ("api_secret", app["api_secret"])) if v}
        with client_from_attributes(dict(app), secrets) as client:
            assert client.verify().checked, name
            client.send("+15005550006", from_="+14155550100", message=f"via {name}")
    assert [(m["app"], m["mtls"], m["body"]["text"]) for m in custom.outbox()] == [
        (name, name == "mtls", f"via {name}") for name in custom.facts["providers"]
    ]


def test_unreadable_certificate_files_are_named(custom: CustomWorld, tmp_path: Path) -> None:
    attributes = {**custom.app("mtls"), "client_key_file": str(tmp_path / "missing.pem")}
    with pytest.raises(ValueError) as caught:
        client_from_attributes(attributes, {})
    assert str(caught.value) == f"client_key_file: cannot read {tmp_path / 'missing.pem'}: No such file or directory"
