"""Mutual TLS for the local custom provider: a throwaway PKI, an HTTPS `LocalServer` that requires
client certificates, and `LocalCustomProvider`, which runs the plain and the mutual-TLS server.

    with LocalCustomProvider(tls_dir=tmp / "custom-tls") as local:
        facts = local.facts          # what `seed_custom_providers` returned
        facts["providers"]["mtls"]   # provider_url on the HTTPS server, client cert/key and CA files

`create_throwaway_pki(directory)` writes a CA, a server certificate for 127.0.0.1/localhost and a
client certificate signed by that CA (EC P-256 keys, files readable by the owner only). The
`cryptography` package is imported only when a PKI is made.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from .custom_provider import create_custom_provider_app
from .custom_provider_state import CustomProviderSeed, CustomProviderState, seed_custom_providers
from .server import LocalServer


@dataclass(frozen=True)
class CustomProviderPki:
    """The files of a throwaway PKI: the CA, the server's certificate and key, a client's certificate and key."""

    directory: Path
    ca_cert: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path

    def ca_pem(self) -> str:
        return self.ca_cert.read_text()

    def client_cert_pem(self) -> str:
        return self.client_cert.read_text()

    def client_key_pem(self) -> str:
        return self.client_key.read_text()


def _write(path: Path, data: bytes, *, private: bool) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def create_throwaway_pki(
    directory: Path,
    *,
    client_name: str = "smschannel client",
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost"),
    days: int = 365,
) -> CustomProviderPki:
    """Write a new CA, server certificate (for `hosts`) and client certificate into `directory`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    not_before, not_after = now - dt.timedelta(minutes=5), now + dt.timedelta(days=days)

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "smschannel local custom provider"),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    def key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name("smschannel throwaway CA")
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(common: str, usage: x509.ObjectIdentifier, san: list[x509.GeneralName] | None) -> tuple[bytes, bytes]:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(common))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        )
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        cert = builder.sign(ca_key, hashes.SHA256())
        return cert.public_bytes(serialization.Encoding.PEM), key_pem(key)

    san: list[x509.GeneralName] = []
    for host in hosts:
        try:
            san.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            san.append(x509.DNSName(host))
    server_cert, server_key = leaf(hosts[0], ExtendedKeyUsageOID.SERVER_AUTH, san)
    client_cert, client_key = leaf(client_name, ExtendedKeyUsageOID.CLIENT_AUTH, None)

    pki = CustomProviderPki(
        directory=directory,
        ca_cert=directory / "ca.pem",
        server_cert=directory / "server.pem",
        server_key=directory / "server-key.pem",
        client_cert=directory / "client.pem",
        client_key=directory / "client-key.pem",
    )
    _write(pki.ca_cert, ca_cert.public_bytes(serialization.Encoding.PEM), private=False)
    _write(pki.server_cert, server_cert, private=False)
    _write(pki.server_key, server_key, private=True)
    _write(pki.client_cert, client_cert, private=False)
    _write(pki.client_key, client_key, private=True)
    return pki


class HttpsLocalServer(LocalServer):
    """Like `LocalServer`, over HTTPS: serves `app` with `pki`'s server certificate and, with
    `require_client_certificate` (the default), accepts only clients presenting a certificate
    signed by `pki`'s CA (`ssl.CERT_REQUIRED`: the handshake fails otherwise).

    `url` is e.g. "https://127.0.0.1:54321".
    """

    def __init__(
        self,
        app: Any,
        *,
        pki: CustomProviderPki,
        require_client_certificate: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        startup_timeout: float = 10.0,
        shutdown_timeout: int = 5,
    ) -> None:
        super().__init__(
            app,
            host=host,
            port=port,
            log_level=log_level,
            startup_timeout=startup_timeout,
            shutdown_timeout=shutdown_timeout,
            ssl_certfile=str(pki.server_cert),
            ssl_keyfile=str(pki.server_key),
            ssl_ca_certs=str(pki.ca_cert),
            ssl_cert_reqs=ssl.CERT_REQUIRED if require_client_certificate else ssl.CERT_NONE,
        )
        self.pki = pki
        self.require_client_certificate = require_client_certificate


class LocalCustomProvider:
    """The local custom provider as `smschannel up` runs it: a plain HTTP server and a mutual-TLS
    HTTPS server sharing one `state`. `start()` makes the PKI in `tls_dir` (once, unless `pki` is
    given), starts both servers, seeds one application per auth type and returns the facts (also
    kept in `.facts`)."""

    def __init__(
        self,
        state: CustomProviderState | None = None,
        *,
        tls_dir: Path,
        seed: int = 0,
        host: str = "127.0.0.1",
        pki: CustomProviderPki | None = None,
    ) -> None:
        self.state = state or CustomProviderState(seed=seed)
        self.tls_dir = tls_dir
        self.seed = seed
        self.host = host
        self.pki = pki
        self.http: LocalServer | None = None
        self.https: HttpsLocalServer | None = None
        self._facts: CustomProviderSeed | None = None

    @property
    def facts(self) -> CustomProviderSeed:
        if self._facts is None:
            raise RuntimeError("LocalCustomProvider is not running: call start() or use it in a with block")
        return self._facts

    def start(self) -> CustomProviderSeed:
        if self.pki is None:
            self.pki = create_throwaway_pki(self.tls_dir)
        try:
            self.http = LocalServer(create_custom_provider_app(self.state), host=self.host).start()
            self.https = HttpsLocalServer(
                create_custom_provider_app(self.state, mtls=True), pki=self.pki, host=self.host
            ).start()
        except BaseException:
            self.stop()
            raise
        self._facts = seed_custom_providers(
            self.state, self.seed, url=self.http.url, mtls_url=self.https.url, pki=self.pki
        )
        return self._facts

    def reset(self) -> CustomProviderSeed:
        """Forget every message, token and change, and seed again: the same facts as `start()` gave."""
        if self.http is None or self.https is None:
            raise RuntimeError("LocalCustomProvider is not running: call start() or use it in a with block")
        self.state.reset()
        self._facts = seed_custom_providers(
            self.state, self.seed, url=self.http.url, mtls_url=self.https.url, pki=self.pki
        )
        return self._facts

    def stop(self) -> None:
        for server in (self.https, self.http):
            if server is not None:
                server.stop()
        self.http = self.https = None
        self._facts = None

    def __enter__(self) -> LocalCustomProvider:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


__all__ = ["CustomProviderPki", "HttpsLocalServer", "LocalCustomProvider", "create_throwaway_pki"]
