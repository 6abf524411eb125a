"""The `smschannel` command. It parses arguments, calls library code and prints; an error meant for
a person (`SmschannelError`) is one line on stderr and exit code 1."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from smschannel.errors import SmschannelError

if TYPE_CHECKING:
    from smschannel.workflow import Project

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="SMS/MMS/RCS channel set-up as code.")
provider_app = typer.Typer(no_args_is_help=True, help="The Terraform provider.")
token_app = typer.Typer(no_args_is_help=True, help="Registry API tokens (run next to the registry's database).")
inbound_app = typer.Typer(no_args_is_help=True, help="Inbound messages and the keyword engine.")
app.add_typer(provider_app, name="provider")
app.add_typer(token_app, name="token")
app.add_typer(inbound_app, name="inbound")

err = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)

StackOpt = Annotated[str | None, typer.Option("--stack", help="The stack to use when the app has several.")]
ProjectOpt = Annotated[Path | None, typer.Option("--project", help="The CDKTF project (default: here).")]


SERVE_EXTRA = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "cryptography", "dns", "multipart")
"""Top-level modules of the `serve` extra: the registry, and the local vendors of `smschannel up`."""


@contextmanager
def _needs_serve_extra(command: str) -> Iterator[None]:
    """Turn a missing registry package into one line saying which extra to install."""
    try:
        yield
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SERVE_EXTRA:
            raise
        raise _fail(SmschannelError(
            f"smschannel {command} runs the registry, whose packages are not installed (no module {exc.name}): "
            "pip install 'smschannel[serve]'")) from None


def _fail(exc: SmschannelError) -> typer.Exit:
    for line in str(exc).splitlines() or ["error"]:
        err.print(f"[red]Error:[/red] {escape(line)}", soft_wrap=True)  # text in [brackets] is not markup
    return typer.Exit(code=1)


def _project(project: Path | None) -> Project:
    from smschannel.workflow import Project

    return Project.find(project)


@app.command()
def up(
    state_dir: Annotated[Path, typer.Option("--state-dir", help="Where the registry and the local vendors keep "
                                            "their data, and where endpoints.json is written.")] = Path("state"),
    port: Annotated[int, typer.Option(help="The registry's port (0: any free port).")] = 0,
) -> None:
    """Start a local registry (SQLite) and local vendor endpoints; stop with Ctrl-C."""
    with _needs_serve_extra("up"):
        from smschannel.local import run_until_interrupted

    try:
        run_until_interrupted(state_dir, registry_port=port, announce=lambda msg: out.print(msg))
    except SmschannelError as exc:
        raise _fail(exc) from None


@app.command()
def serve(
    database: Annotated[str, typer.Option(help="A SQLite path or a PostgreSQL URL.")] = "registry.db",
    key_file: Annotated[Path, typer.Option(help="The master key file (created if missing).")] = Path("registry.key"),
    host: str = "127.0.0.1",
    port: int = 8600,
) -> None:
    """Run the registry."""
    with _needs_serve_extra("serve"):
        import uvicorn

        from smschannel.registry.app import create_app
        from smschannel.registry.settings import RegistrySettings

    settings = RegistrySettings.from_env(database=database, key_file=str(key_file))
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="Who or what uses the token.")],
    scope: Annotated[list[str], typer.Option("--scope", help="A scope; repeat for several.")],
    sandbox: Annotated[str, typer.Option(help="The sandbox the scopes hold on (* for all).")] = "*",
    database: Annotated[str, typer.Option(help="The registry's database.")] = "registry.db",
    expires_in_days: Annotated[float | None, typer.Option(min=0.001, help="Refused after this many days "
                                                          "(default: never).")] = None,
) -> None:
    """Create an API token and print it (the only time it is shown)."""
    from smschannel.scopes import ALL_SCOPES

    with _needs_serve_extra("token create"):
        from smschannel.registry import storage
        from smschannel.registry.settings import RegistrySettings

    unknown = [s for s in scope if s not in ALL_SCOPES]
    if unknown:
        raise _fail(SmschannelError(f"unknown scope {unknown[0]}: choose from {', '.join(ALL_SCOPES)}"))
    db = storage.Database(RegistrySettings.from_env(database=database).database_url)
    from datetime import timedelta

    from smschannel import cli_registry
    from smschannel.registry import tokens

    expires = storage.utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    with db.session() as session:
        token = tokens.create(session, name, {sandbox: scope}, expires_at=expires, author=cli_registry.author())
    db.dispose()
    print(token)


@app.command()
def synth(project: ProjectOpt = None) -> None:
    """Run the CDKTF app of cdktf.json and write Terraform JSON."""
    try:
        proj = _project(project)
        proj.synth()
        for stack in proj.stacks():
            out.print(f"synthesized {proj.outdir / 'stacks' / stack / 'cdk.tf.json'}")
    except SmschannelError as exc:
        raise _fail(exc) from None


@app.command()
def plan(
    out_file: Annotated[Path | None, typer.Option("--out", help="Save the plan for `smschannel apply`.")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the plan as JSON.")] = None,
    summary: Annotated[Path | None, typer.Option("--summary", help="Write a Markdown summary for a "
                                                 "pull-request comment.")] = None,
    detailed_exitcode: Annotated[bool, typer.Option("--detailed-exitcode", help="Exit 2 when there are "
                                                    "changes.")] = False,
    stack: StackOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Synth, then plan."""
    from smschannel import workflow

    try:
        proj = _project(project)
        proj.synth()
        tf = proj.terraform(stack)
        code, plan_file = workflow.plan(tf, out=out_file, detailed=detailed_exitcode)
        if code in (0, 2) and (json_file or summary):
            shown = workflow.show_json(tf, plan_file)
            if json_file:
                json_file.write_text(json.dumps(shown, indent=2))
            if summary:
                summary.write_text(workflow.summary_markdown(shown))
    except SmschannelError as exc:
        raise _fail(exc) from None
    raise typer.Exit(code=code)


@app.command()
def apply(
    plan_file: Annotated[Path | None, typer.Argument(help="A plan saved by `smschannel plan --out`.")] = None,
    stack: StackOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Apply a saved plan verbatim, or plan and apply."""
    from smschannel import workflow

    try:
        proj = _project(project)
        if plan_file is None:
            proj.synth()
            args = ["apply", "-input=false", "-auto-approve"]
        else:
            args = ["apply", "-input=false", str(plan_file.resolve())]
        code = workflow.run(proj.terraform(stack), args)
    except SmschannelError as exc:
        raise _fail(exc) from None
    raise typer.Exit(code=code)


@app.command()
def destroy(stack: StackOpt = None, project: ProjectOpt = None) -> None:
    """Destroy every object of the stack."""
    from smschannel import workflow

    try:
        proj = _project(project)
        proj.synth()
        code = workflow.run(proj.terraform(stack), ["destroy", "-input=false", "-auto-approve"])
    except SmschannelError as exc:
        raise _fail(exc) from None
    raise typer.Exit(code=code)


@app.command("import")
def import_(
    address: Annotated[str, typer.Argument(help="The resource address, e.g. smschannel_configuration.main.")],
    object_id: Annotated[str, typer.Argument(metavar="ID", help="The object's id in the registry.")],
    stack: StackOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Bring an existing registry object under Terraform."""
    from smschannel import workflow

    try:
        proj = _project(project)
        proj.synth()
        code = workflow.run(proj.terraform(stack), ["import", "-input=false", address, object_id])
    except SmschannelError as exc:
        raise _fail(exc) from None
    raise typer.Exit(code=code)


@app.command()
def drift(stack: StackOpt = None, project: ProjectOpt = None) -> None:
    """A refresh-only plan: what changed outside the code (exit 2 when something did)."""
    from smschannel import workflow

    try:
        proj = _project(project)
        proj.synth()
        code, _ = workflow.plan(proj.terraform(stack), out=None, detailed=True, refresh_only=True)
    except SmschannelError as exc:
        raise _fail(exc) from None
    raise typer.Exit(code=code)


@provider_app.command("install")
def provider_install(
    mirror: Annotated[Path | None, typer.Option("--mirror", help="The filesystem mirror to lay the provider out "
                                                "in (default: ~/.terraform.d/plugins, which Terraform searches).")]
    = None,
) -> None:
    """Lay the provider out as a Terraform filesystem mirror, for plain terraform/tofu users."""
    from smschannel.terraform.runner import cli_config, install_mirror

    implied = Path(os.path.expanduser("~/.terraform.d/plugins"))
    mirror = mirror or implied
    executable = install_mirror(mirror)
    out.print(f"installed {executable}")
    out.print(f"It runs the provider with $SMSCHANNEL_PYTHON (else python3 on PATH); here: {sys.executable}")
    if mirror.resolve() != implied.resolve():
        out.print("Add this to your Terraform CLI configuration (TF_CLI_CONFIG_FILE):\n")
        out.print(cli_config(mirror), markup=False)


@inbound_app.command("simulate")
def inbound_simulate(
    text: Annotated[str, typer.Argument(help="The message text.")],
    webhook: Annotated[str, typer.Option("--webhook", help="The webhook's name (or id) in the sandbox.")],
    sender: Annotated[str, typer.Option("--from", help="The profile's number, E.164.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Send a message through a webhook as its vendor would, and print the keyword decision.

    The registry is found as the provider finds it: SMSCHANNEL_ENDPOINT, SMSCHANNEL_TOKEN,
    SMSCHANNEL_SANDBOX.
    """
    from smschannel.simulate import simulate

    try:
        outcome = simulate(webhook, sender, text)
    except SmschannelError as exc:
        raise _fail(exc) from None
    if as_json:
        print(json.dumps(outcome))
        return
    consent = outcome["consent"] or "no record"
    out.print(f"{text!r} from {sender}: [bold]{outcome['action']}[/bold]"
              + (f" (keyword {outcome['keyword']})" if outcome.get("keyword") else ""))
    out.print(f"  reply:   {outcome['reply'] if outcome['reply'] else '(none)'}"
              + (f"  [{outcome['reply_status']}]" if outcome["reply"] else ""), markup=False)
    out.print(f"  consent: {consent}" + (f", pending {outcome['pending']}" if outcome.get("pending") else ""))


def _register_registry_commands() -> None:
    from smschannel.cli_registry import register

    register(app, token_app)


_register_registry_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
