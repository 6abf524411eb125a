"""The test PostgreSQL server: real, on loopback, run unprivileged when the tests run as root."""

from __future__ import annotations

import os

import psycopg

from tests.postgres import PostgresServer


def test_a_real_server_on_loopback(postgres: PostgresServer) -> None:
    url = postgres.create_database("probe")
    assert url.startswith(f"postgresql+psycopg://smschannel@127.0.0.1:{postgres.port}/")
    with psycopg.connect(postgres.dsn("probe")) as connection:
        version = connection.execute("SHOW server_version").fetchone()
        user = connection.execute("SELECT current_user").fetchone()
        address = connection.execute("SELECT inet_server_addr()::text").fetchone()
    assert version is not None and int(str(version[0]).split(".")[0]) >= 14
    assert user == ("smschannel",) and address is not None and address[0].startswith("127.0.0.1")


def test_the_server_never_runs_as_root(postgres: PostgresServer) -> None:
    assert postgres.process is not None
    owner = os.stat(f"/proc/{postgres.process.pid}").st_uid
    assert owner != 0
