"""The `smschannel` commands that look after a registry: tokens (list, revoke), the master key (rotate,
retire) and the audit trail. `cli.py` registers them; they parse, call library code and print."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smschannel.errors import SmschannelError

if TYPE_CHECKING:
    from smschannel.registry.storage import Database

DatabaseOpt = Annotated[str, typer.Option(help="The registry's database (a SQLite path or a PostgreSQL URL).")]
KeyFileOpt = Annotated[Path, typer.Option(help="The master key file.")]


def _cli() -> Any:
    from smschannel import cli

    return cli


def _database(database: str, command: str) -> Database:
    with _cli()._needs_serve_extra(command):
        from smschannel.registry import storage
        from smschannel.registry.settings import RegistrySettings

    return storage.Database(RegistrySettings.from_env(database=database).database_url)


def author() -> Any:
    """Who makes a change from this command line, for the audit trail."""
    from smschannel.registry.audit import Author

    return Author(f"cli:{getpass.getuser()}")


def token_list(database: DatabaseOpt = "registry.db",
               as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False) -> None:
    """List the API tokens: name, scopes per sandbox, when made, when they expire, whether revoked."""
    from smschannel.registry import tokens

    db = _database(database, "token list")
    try:
        with db.session() as session:
            listed = tokens.listed(session)
    finally:
        db.dispose()
    if as_json:
        print(json.dumps({"data": listed, "count": len(listed)}))
        return
    out = _cli().out
    for token in listed:
        grants = "; ".join(f"{sandbox}: {', '.join(scopes)}" for sandbox, scopes in token["grants"].items())
        out.print(f"{token['id']}  {token['status']:<8} {token['name']}  (made {token['created_at'][:19]}, "
                  f"expires {(token['expires_at'] or 'never')[:19]})  {grants}", markup=False)
    if not listed:
        out.print("no tokens")


def token_revoke(token: Annotated[str, typer.Argument(help="The token's ID (tok_...) or its name.")],
                 database: DatabaseOpt = "registry.db") -> None:
    """Revoke a token: the registry refuses it from the next request on."""
    from smschannel.registry import tokens

    db = _database(database, "token revoke")
    try:
        with db.session() as session:
            revoked = tokens.revoke(session, token, author=author())
    except SmschannelError as exc:
        raise _cli()._fail(exc) from None
    finally:
        db.dispose()
    _cli().out.print(f"revoked {revoked['id']} ({revoked['name']})", markup=False)


def key_rotate(key_file: KeyFileOpt = Path("registry.key"), database: DatabaseOpt = "registry.db") -> None:
    """Add a new master key (it seals from now on) and seal every stored secret with it; the old key
    stays in the file so registries that have not read it yet still open everything. Copy the file to
    every registry server, then run `smschannel key retire`."""
    from smschannel.registry import keys

    db = _database(database, "key rotate")
    try:
        count = keys.rotate(db, key_file, author=author())
    except SmschannelError as exc:
        raise _cli()._fail(exc) from None
    finally:
        db.dispose()
    _cli().out.print(f"new master key added to {key_file}; {count} stored secrets sealed with it. Copy the file "
                     "to every registry server, then run `smschannel key retire`.", markup=False)


def key_retire(key_file: KeyFileOpt = Path("registry.key"), database: DatabaseOpt = "registry.db") -> None:
    """Seal every stored secret with the newest key (again), then drop the older keys from the file."""
    from smschannel.registry import keys

    db = _database(database, "key retire")
    try:
        count, dropped = keys.retire(db, key_file, author=author())
    except SmschannelError as exc:
        raise _cli()._fail(exc) from None
    finally:
        db.dispose()
    _cli().out.print(f"{count} stored secrets sealed with the newest key; {dropped} older keys removed from "
                     f"{key_file}.", markup=False)


def audit(object_id: Annotated[str | None, typer.Option("--object", help="Only the changes to this object.")] = None,
          limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many entries.")] = 100,
          after: Annotated[int, typer.Option(min=0, help="Entries after this ID (a cursor).")] = 0,
          as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False) -> None:
    """The sandbox's audit trail, oldest first: who changed what, when, from which run and change.

    The registry is found as the provider finds it: SMSCHANNEL_ENDPOINT, SMSCHANNEL_TOKEN (with the
    scope audit.read), SMSCHANNEL_SANDBOX.
    """
    from smschannel.simulate import client_from_env

    try:
        registry = client_from_env()
        try:
            params = {"limit": str(limit), "after": str(after), **({"object_id": object_id} if object_id else {})}
            answer: dict[str, Any] = registry.raw("GET", f"/v1/sandboxes/{registry.sandbox}/audit", params=params)
        finally:
            registry.close()
    except SmschannelError as exc:
        raise _cli()._fail(exc) from None
    if as_json:
        print(json.dumps(answer))
        return
    out = _cli().out
    for entry in answer["data"]:
        where = " ".join(f"{k}={entry[k]}" for k in ("run_id", "change_ref") if entry.get(k))
        out.print(f"{entry['id']:>6}  {entry['at'][:19]}  {entry['actor']}  {entry['action']} {entry['object_type']} "
                  f"{entry['object_id']}" + (f"  ({where})" if where else ""), markup=False)
        for change in _changes(entry.get("before"), entry.get("after")):
            out.print(f"          {change}", markup=False)
    if not answer["data"]:
        out.print("no changes recorded")


def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """One line per attribute that changed (`updated_at` and `created_at` left out)."""
    old, new = before or {}, after or {}
    keys = [k for k in dict.fromkeys([*old, *new]) if k not in ("updated_at", "created_at")]
    return [f"{k}: {json.dumps(old.get(k))} -> {json.dumps(new.get(k))}" for k in keys if old.get(k) != new.get(k)]


def register(app: typer.Typer, token_app: typer.Typer, conventions: dict[str, Any]) -> None:
    """Add these commands to the `smschannel` command (`conventions`: the Typer settings every group uses)."""
    token_app.command("list")(token_list)
    token_app.command("revoke")(token_revoke)
    key_app = typer.Typer(help="The registry's master key (run next to the registry's database).", **conventions)
    key_app.command("rotate")(key_rotate)
    key_app.command("retire")(key_retire)
    app.add_typer(key_app, name="key")
    app.command("audit")(audit)


__all__ = ["audit", "author", "key_retire", "key_rotate", "register", "token_list", "token_revoke"]
