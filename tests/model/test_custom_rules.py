"""The custom provider's rules and templates: every validation message, and rendering that no
message can break (no network)."""

from __future__ import annotations

import json

import pytest

from smschannel.errors import Problem
from smschannel.model.custom_rules import (
    AUTH_TYPES,
    CustomProviderConfig,
    check_auth_type,
    check_client_certificate,
    check_headers,
    check_jwt_payload,
    check_mac_hash_format,
    check_oauth_body,
    check_payload_template,
    check_rate_limit_rps,
    render_body,
    render_payload,
    required_secrets,
    validate_custom_config,
)

TEMPLATE = '{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}"}'
TO, FROM = "+15005550006", "+14155550100"
WITH_AUTH_OPTION = '{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}", "authOption": "x"}'


def config(**overrides: object) -> CustomProviderConfig:
    values: dict[str, object] = {
        "provider_name": "Acme",
        "provider_url": "https://sms.acme.example/v1/messages",
        "payload_template": TEMPLATE,
    }
    values.update(overrides)
    return CustomProviderConfig(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("template", "auth_type", "message"),
    [
        (TEMPLATE, "none", None),
        (WITH_AUTH_OPTION, "basic", None),
        (WITH_AUTH_OPTION, "bearer", None),
        ('{"to": "{{toNumber}}", "from": "{{fromNumber}}"}', "none", "payload_template must contain {{message}}"),
        (
            '{"text": "{{message}}"}',
            "none",
            "payload_template must contain {{toNumber}} and {{fromNumber}}",
        ),
        ("{}", "none", "payload_template must contain {{toNumber}}, {{fromNumber}} and {{message}}"),
        (
            '{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}",}',
            "none",
            "payload_template is not valid JSON: Expecting property name enclosed in double quotes"
            " at line 1 column 72",
        ),
        (
            '{"to": {{toNumber}}}',
            "none",
            "payload_template is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 9",
        ),
        ('{"n": NaN}', "none", "payload_template is not valid JSON: NaN is not JSON"),
        ('["{{toNumber}}"]', "none", "payload_template must be a JSON object, got a JSON array"),
        ('"{{message}}"', "none", "payload_template must be a JSON object, got a JSON string"),
        (
            '{"{{message}}": "{{toNumber}}", "f": "{{fromNumber}}"}',
            "none",
            "payload_template cannot use placeholders in keys, found {{message}} in the key '{{message}}'",
        ),
        (
            '{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{Message}}"}',
            "none",
            "payload_template has an unknown placeholder {{Message}}; use {{toNumber}}, {{fromNumber}},"
            " {{message}} or {{appId}}",
        ),
        (TEMPLATE, "basic", 'payload_template must have an "authOption" key when auth_type is basic'),
        (TEMPLATE, "bearer", 'payload_template must have an "authOption" key when auth_type is bearer'),
        (
            '{"m": {"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}"}, "authOption": "x"}',
            "basic",
            None,
        ),
        (
            '{"m": {"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}", "authOption": "x"}}',
            "bearer",
            'payload_template must have an "authOption" key when auth_type is bearer',
        ),
    ],
)
def test_payload_template_rules(template: str, auth_type: str, message: str | None) -> None:
    assert check_payload_template(template, auth_type=auth_type) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"grant_type": "client_credentials", "client_id": "{{appId}}", "client_secret": "{{apiToken}}"}', None),
        ('{"grant_type": "password", "username": "{{appId}}", "password": "{{apiSecret}}"}', None),
        ('{"grant_type": "client_credentials",', "oauth_body is not valid JSON: Expecting property name enclosed"
         " in double quotes at line 1 column 37"),
        ("[]", "oauth_body must be a JSON object, got a JSON array"),
        ('{"client_secret": "{{secret}}"}', "oauth_body has an unknown placeholder {{secret}}; use {{apiToken}},"
         " {{apiSecret}} or {{appId}}"),
        ('{"client_secret": "s3cr3t"}', 'oauth_body must not hold the secret "client_secret" itself: write'
         ' "{{apiToken}}" (or "{{apiSecret}}") there and give the secret as api_token_env (or api_secret_env)'),
        ('{"auth": {"Password": "hunter2"}}', 'oauth_body must not hold the secret "Password" itself: write'
         ' "{{apiToken}}" (or "{{apiSecret}}") there and give the secret as api_token_env (or api_secret_env)'),
    ],
)
def test_oauth_body_rules(body: str, message: str | None) -> None:
    assert check_oauth_body(body) == message


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('{"iss": "{{appId}}", "aud": "sms", "scope": ["send"]}', None),
        ("{", "jwt_payload is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        ('"x"', "jwt_payload must be a JSON object, got a JSON string"),
        ('{"sub": "{{apiToken}}"}', "jwt_payload has an unknown placeholder {{apiToken}}; use {{appId}}"),
        ('{"exp": 1}', "jwt_payload cannot set exp: smschannel sets iat and exp on every token it signs"
         " (lifetime 300 s)"),
        ('{"iat": 1}', "jwt_payload cannot set iat: smschannel sets iat and exp on every token it signs"
         " (lifetime 300 s)"),
    ],
)
def test_jwt_payload_rules(payload: str, message: str | None) -> None:
    assert check_jwt_payload(payload) == message


@pytest.mark.parametrize(
    ("headers", "auth_type", "message"),
    [
        ({"X-Tenant": "t1", "Accept": "application/json"}, "bearer", None),
        ({"Content-Type": "text/plain"}, "none",
         "headers cannot set Content-Type: smschannel always sends application/json; charset=utf-8"),
        ({"content-type": "application/json"}, "none",
         "headers cannot set Content-Type: smschannel always sends application/json; charset=utf-8"),
        ({"CONTENT-TYPE": ""}, "none",
         "headers cannot set Content-Type: smschannel always sends application/json; charset=utf-8"),
        ({"Content-Length": "5"}, "none", "headers cannot set Content-Length: it is computed for every request"),
        ({"authorization": "Bearer x"}, "bearer", "headers cannot set Authorization: auth_type bearer sets it"),
        ({"Authorization": "Token x"}, "none", None),
        ({"x-api-key": "k"}, "api_key", "headers cannot set X-API-Key: auth_type api_key sets it"),
        ({"X-Signature": "s"}, "mac", "headers cannot set X-Signature: auth_type mac sets it"),
        ({"X Tenant": "t"}, "none",
         "headers has an invalid header name 'X Tenant': use letters, digits and - _ . ! # $ % & ' * + ^ ` | ~"),
        ({"X-Tenant": "a\r\nX-Injected: 1"}, "none", "headers['X-Tenant'] must be text on one line (no line breaks)"),
    ],
)
def test_header_rules(headers: dict[str, str], auth_type: str, message: str | None) -> None:
    assert check_headers(headers, auth_type=auth_type) == message


def test_auth_type_hash_format_and_rate_limit_rules() -> None:
    assert [check_auth_type(a) for a in AUTH_TYPES] == [None] * 7
    assert check_auth_type("digest") == (
        "auth_type must be one of api_key, basic, bearer, oauth2, jwt, mac, none, got 'digest'"
    )
    assert check_mac_hash_format("hex") is None
    assert check_mac_hash_format("base64") is None
    assert check_mac_hash_format("HEX") == "mac_hash_format must be one of hex, base64, got 'HEX'"
    assert check_rate_limit_rps(0) is None
    assert check_rate_limit_rps(-1.5) == "rate_limit_rps must be 0 (unlimited) or more, got -1.5"


@pytest.mark.parametrize(
    ("overrides", "secrets"),
    [
        ({"auth_type": "api_key"}, ("api_token",)),
        ({"auth_type": "basic"}, ("api_token",)),
        ({"auth_type": "bearer"}, ("api_token",)),
        ({"auth_type": "jwt"}, ("api_token",)),
        ({"auth_type": "mac"}, ("api_secret",)),
        ({"auth_type": "none"}, ()),
        ({"auth_type": "oauth2"}, ("api_token",)),
        ({"auth_type": "oauth2", "oauth_body": '{"a": "{{apiSecret}}", "b": "{{apiToken}}"}'},
         ("api_token", "api_secret")),
        ({"auth_type": "oauth2", "oauth_body": '{"grant_type": "client_credentials"}'}, ()),
    ],
)
def test_required_secrets_follow_the_auth_type(overrides: dict[str, object], secrets: tuple[str, ...]) -> None:
    assert required_secrets(config(**overrides)) == secrets


def test_validate_reports_every_missing_input_once() -> None:
    problems = validate_custom_config(
        config(auth_type="oauth2", mtls=True), has_api_token=False, has_api_secret=False, has_client_certificate=False
    )
    assert problems == [
        Problem(
            "api_token",
            "api_token is required when the default oauth_body uses {{apiToken}} (set api_token_env or api_token)",
        ),
        Problem("provider_app_id", "provider_app_id is required when the default oauth_body uses {{appId}}"),
        Problem("oauth_url", "oauth_url is required when auth_type is oauth2"),
        Problem("mtls", "mtls is true but no client certificate and private key were given"),
    ]


@pytest.mark.parametrize(
    ("overrides", "given", "problems"),
    [
        ({"auth_type": "bearer", "payload_template": WITH_AUTH_OPTION}, {},
         [("api_token", "api_token is required when auth_type is bearer (set api_token_env or api_token)")]),
        ({"auth_type": "basic", "payload_template": WITH_AUTH_OPTION}, {"has_api_token": True},
         [("provider_app_id", "provider_app_id is required when auth_type is basic")]),
        ({"auth_type": "mac"}, {"has_api_token": True},
         [("api_secret", "api_secret is required when auth_type is mac (set api_secret_env or api_secret)")]),
        ({"auth_type": "oauth2", "oauth_url": "https://a.example/token",
          "oauth_body": '{"grant_type": "client_credentials", "client_secret": "{{apiSecret}}"}'}, {},
         [("api_secret", "api_secret is required when oauth_body uses {{apiSecret}} (set api_secret_env or"
           " api_secret)")]),
        ({"auth_type": "none"}, {}, []),
        ({"auth_type": "jwt", "jwt_payload": '{"exp": 5}'}, {"has_api_token": True},
         [("jwt_payload", "jwt_payload cannot set exp: smschannel sets iat and exp on every token it signs"
           " (lifetime 300 s)")]),
        ({"auth_type": "mac", "mac_hash_format": "b64"}, {"has_api_secret": True},
         [("mac_hash_format", "mac_hash_format must be one of hex, base64, got 'b64'")]),
        ({"auth_type": "token"}, {}, [("auth_type", "auth_type must be one of api_key, basic, bearer, oauth2, jwt,"
                                        " mac, none, got 'token'")]),
        ({"headers": {"Content-Type": "text/plain"}, "payload_template": "{}"}, {},
         [("payload_template", "payload_template must contain {{toNumber}}, {{fromNumber}} and {{message}}"),
          ("headers", "headers cannot set Content-Type: smschannel always sends application/json; charset=utf-8")]),
    ],
)
def test_validate_custom_config(
    overrides: dict[str, object], given: dict[str, bool], problems: list[tuple[str, str]]
) -> None:
    flags = {"has_api_token": False, "has_api_secret": False, "has_client_certificate": False, **given}
    found = validate_custom_config(config(**overrides), **flags)
    assert [(p.attribute, p.message) for p in found] == problems


def test_the_config_is_frozen_and_its_headers_read_only() -> None:
    headers = {"X-Tenant": "t1"}
    made = config(headers=headers)
    headers["X-Tenant"] = "changed"
    assert dict(made.headers) == {"X-Tenant": "t1"}
    with pytest.raises(TypeError):
        made.headers["X-Other"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        made.auth_type = "bearer"  # type: ignore[misc]


def test_client_certificate_shape_is_checked_without_quoting_it() -> None:
    cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    key = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n"
    assert check_client_certificate(cert, key) is None
    assert check_client_certificate(key, cert) == (
        "mtls needs a PEM client certificate (-----BEGIN CERTIFICATE-----); the one given is not"
    )
    assert check_client_certificate(cert, "secret-key-material") == (
        "mtls needs a PEM private key (-----BEGIN PRIVATE KEY-----) for the client certificate; the one given is not"
    )
    encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGH\n-----END ENCRYPTED PRIVATE KEY-----\n"
    assert check_client_certificate(cert, encrypted) == (
        "mtls needs the client private key unencrypted; the one given is protected by a passphrase"
    )


TRICKY = [
    'She said "stop"',
    "line one\nline two\r\n\ttabbed",
    "C:\\path\\to\\file \\n is not a newline",
    "literally {{message}} and {{toNumber}} and {{appId}}",
    'injection", "admin": true, "x": "',
    "emoji 😀 👍🏽 and non-BMP 𝄞, CJK 漢字, RTL שלום",
    "\u0000 nul and \u001f unit separator and \u2028 line separator",
    "}}{{",
    "",
]


@pytest.mark.parametrize("message", TRICKY)
def test_rendering_keeps_any_message_exact_and_the_json_intact(message: str) -> None:
    payload = render_payload(
        '{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}", "meta": {"app": "{{appId}}"},'
        ' "parts": ["{{message}}", 1, true, null], "note": "Msg: {{message}}!"}',
        to=TO,
        from_=FROM,
        message=message,
        app_id="app-1",
    )
    wire = render_body(payload)
    parsed = json.loads(wire.decode("utf-8"))
    assert parsed == {
        "to": TO,
        "from": FROM,
        "text": message,
        "meta": {"app": "app-1"},
        "parts": [message, 1, True, None],
        "note": f"Msg: {message}!",
    }


def test_rendering_is_one_pass_and_keeps_whole_string_values_as_strings() -> None:
    payload = render_payload(
        '{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}", "n": 5}',
        to="{{message}}",
        from_="{{toNumber}}",
        message="{{fromNumber}}",
    )
    assert payload == {"to": "{{message}}", "from": "{{toNumber}}", "text": "{{fromNumber}}", "n": 5}
    assert render_payload(TEMPLATE, to="15005550006", from_="1", message="x")["to"] == "15005550006"


def test_rendering_refuses_text_that_is_not_unicode() -> None:
    with pytest.raises(ValueError, match=r"^message is not valid Unicode text \(it holds a lone surrogate\)$"):
        render_payload(TEMPLATE, to=TO, from_=FROM, message="broken \ud83d")
    with pytest.raises(ValueError, match=r"^payload_template is not valid JSON: Expecting value at line 1 column 1$"):
        render_payload("", to=TO, from_=FROM, message="x")
