"""Mutual TLS with a custom provider over real HTTPS on loopback: the client certificate is
presented and checked (ssl.CERT_REQUIRED), alone or with any auth type, and refused without it."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from smschannel.emulators.custom_provider_tls import CustomProviderPki, LocalCustomProvider, create_throwaway_pki
from smschannel.errors import VendorAuthError, VendorUnavailable
from smschannel.providers.custom.client import CustomProviderClient, CustomProviderConfig, mtls_ssl_context
from tests.providers.custom_support import FROM, MESSAGE, TO, CustomWorld, custom_world, serve_custom

NO_CERTIFICATE_HINT = (
    "Local SMS closed the TLS connection without answering: if it requires a client certificate, set mtls and"
    " give the client certificate and key"
)


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCustomProvider]:
    yield from serve_custom(create_throwaway_pki(tmp_path_factory.mktemp("custom-pki")))


@pytest.fixture(scope="module")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> CustomProviderPki:
    """Another throwaway PKI: its client certificate is signed by a CA the provider does not trust."""
    return create_throwaway_pki(tmp_path_factory.mktemp("stranger-pki"))


@pytest.fixture
def custom(local: LocalCustomProvider) -> Iterator[CustomWorld]:
    yield from custom_world(local)


def over_mtls(custom: CustomWorld, name: str) -> CustomProviderConfig:
    """The seeded application `name`, reached through the mutual-TLS server, with mtls on."""
    base = custom.mtls_url
    facts = custom.app(name)
    return custom.config(
        name,
        mtls=True,
        provider_url=f"{base}/{name}/messages",
        verify_url=f"{base}/{name}/verify",
        oauth_url=f"{base}/{name}/oauth/token" if facts["oauth_url"] else None,
    )


@pytest.mark.parametrize("name", ["api_key", "basic", "bearer", "oauth2", "jwt", "mac", "none"])
def test_mtls_combines_with_every_auth_type(custom: CustomWorld, name: str) -> None:
    client = custom.client(name, config=over_mtls(custom, name))
    assert client.verify().checked
    client.send(TO, from_=FROM, message=MESSAGE)
    [record] = custom.outbox()
    assert (record["auth_type"], record["mtls"]) == (name, True)
    journal = custom.state.control.journal.entries()
    assert all(entry.path.startswith(f"/{name}/") for entry in journal)


def test_mtls_with_a_wrong_secret_is_still_an_auth_error(custom: CustomWorld) -> None:
    client = custom.client("bearer", config=over_mtls(custom, "bearer"), api_token="not-the-token")
    with pytest.raises(VendorAuthError, match="error invalid_token"):
        client.send(TO, from_=FROM, message=MESSAGE)


def test_without_a_client_certificate_the_handshake_is_refused(custom: CustomWorld) -> None:
    config = custom.config("mtls", mtls=False)
    client = custom.client("mtls", config=config, retries=0)
    with pytest.raises(VendorUnavailable) as caught:
        client.send(TO, from_=FROM, message=MESSAGE)
    assert str(caught.value).endswith(NO_CERTIFICATE_HINT)
    assert str(caught.value).startswith("Local SMS ")
    assert custom.outbox() == []
    assert custom.state.control.journal.entries() == []  # the app never saw the request


def test_a_client_certificate_from_an_unknown_ca_is_refused(custom: CustomWorld, stranger: CustomProviderPki) -> None:
    client = custom.client(
        "mtls",
        retries=0,
        client_cert_pem=stranger.client_cert_pem(),
        client_key_pem=stranger.client_key_pem(),
    )
    with pytest.raises(VendorUnavailable) as caught:
        client.verify()
    assert str(caught.value).endswith(
        "Local SMS closed the TLS connection without answering: check that it trusts the client certificate"
        " (its CA, its validity)"
    )
    assert custom.state.verify_calls == []


def test_an_mtls_application_answers_403_over_plain_http(custom: CustomWorld) -> None:
    config = custom.config("mtls", mtls=False, provider_url=f"{custom.url}/mtls/messages")
    with pytest.raises(VendorAuthError) as caught:
        custom.client("mtls", config=config).send(TO, from_=FROM, message=MESSAGE)
    assert str(caught.value) == (
        "Local SMS rejected the credentials: error client_certificate_required: This application requires a TLS"
        f" client certificate [HTTP 403, POST {custom.url}/mtls/messages]"
    )


def test_the_providers_server_certificate_must_be_trusted(custom: CustomWorld) -> None:
    config = custom.config("mtls")
    client = CustomProviderClient(
        config,
        client_cert_pem=custom.pki.client_cert_pem(),
        client_key_pem=custom.pki.client_key_pem(),
        retries=0,
    )
    with client, pytest.raises(VendorUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        client.send(TO, from_=FROM, message=MESSAGE)


def test_a_certificate_alert_from_the_provider_is_an_auth_error() -> None:
    """Servers that send TLS alerts (nginx, Go, ...) tell the client why; smschannel says it plainly."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required")

    config = CustomProviderConfig(
        provider_name="Acme",
        provider_url="https://sms.acme.example/send",
        payload_template='{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}"}',
    )
    client = CustomProviderClient(config, transport=httpx.MockTransport(handler), retries=0)
    with client, pytest.raises(VendorAuthError) as caught:
        client.send(TO, from_=FROM, message=MESSAGE)
    assert caught.value.code == "tls_client_certificate"
    assert str(caught.value).startswith(
        "Acme refused the TLS handshake over the client certificate: if it requires a client certificate, set mtls"
        " and give the client certificate and key [Acme could not be reached: ConnectError:"
    )


def test_mtls_without_a_certificate_is_an_invalid_configuration(custom: CustomWorld) -> None:
    with pytest.raises(ValueError) as caught:
        CustomProviderClient(custom.config("mtls"))
    assert str(caught.value) == (
        "invalid custom provider 'Local SMS': mtls is true but no client certificate and private key were given"
    )


def test_a_key_that_does_not_match_the_certificate_is_refused_without_quoting_either(
    custom: CustomWorld, stranger: CustomProviderPki
) -> None:
    key = stranger.client_key_pem()
    with pytest.raises(ValueError) as caught:
        mtls_ssl_context(client_cert_pem=custom.pki.client_cert_pem(), client_key_pem=key)
    assert str(caught.value) == (
        "the client certificate and private key could not be loaded: they must be PEM text, the key unencrypted"
        " and matching the certificate"
    )
    body = key.splitlines()[1]
    assert body not in str(caught.value) and caught.value.__cause__ is None


@pytest.mark.parametrize("memfd", [True, False], ids=["memfd", "temporary-file"])
def test_loading_the_client_certificate_leaves_no_file_behind(
    custom: CustomWorld, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, memfd: bool
) -> None:
    if not memfd:
        monkeypatch.delattr(os, "memfd_create", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    made: list[str] = []
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, path = real_mkstemp(*args, **kwargs)
        made.append(path)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        return fd, path

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    client = custom.client("mtls")
    client.send(TO, from_=FROM, message=MESSAGE)
    assert len(made) == (0 if memfd else 1)  # one TLS context per client, loaded once
    assert list(tmp_path.iterdir()) == []
    assert [m["mtls"] for m in custom.outbox()] == [True]


def test_the_throwaway_pki_keeps_private_keys_private(custom: CustomWorld) -> None:
    pki = custom.pki
    for key in (pki.server_key, pki.client_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "-----BEGIN CERTIFICATE-----" in pki.ca_pem()
    facts = custom.app("mtls")
    assert (facts["client_cert_file"], facts["client_key_file"], facts["ca_cert_file"]) == (
        str(pki.client_cert),
        str(pki.client_key),
        str(pki.ca_cert),
    )
