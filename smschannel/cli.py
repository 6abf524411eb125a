"""The `smschannel` command. It parses arguments, calls library code and prints; an error meant for
a person (`SmschannelError`) is one line on stderr and exit code 1."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from smschannel.errors import SmschannelError

if TYPE_CHECKING:
    from smschannel.workflow import Project

# Help as Terraform writes it: plain text, flags without type tags, no boxes (rich_markup_mode=None).
CONVENTIONS: dict[str, Any] = {"no_args_is_help": True, "rich_markup_mode": None,
                               "context_settings": {"help_option_names": ["-h", "--help"], "max_content_width": 100}}
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, **CONVENTIONS,
                  help="SMS/MMS/RCS channel set-up as code.\n\nThe Terraform commands (synth, plan, apply, "
                  "destroy, import, drift) run in the CDKTF project of the current folder (cdktf.json).")
provider_app = typer.Typer(help="The Terraform provider.", **CONVENTIONS)
token_app = typer.Typer(help="Registry API tokens (run next to the registry's database).", **CONVENTIONS)
inbound_app = typer.Typer(help="Inbound messages and the keyword engine.", **CONVENTIONS)
ci_app = typer.Typer(help="Pull-request pipeline steps (GitHub Actions or GitLab CI).\n\nComment the plan, "
                     "fetch the reviewed plan, report drift.", **CONVENTIONS)
app.add_typer(provider_app, name="provider")
app.add_typer(token_app, name="token")
app.add_typer(inbound_app, name="inbound")
app.add_typer(ci_app, name="ci")

# Rich writes colour only to a terminal, and never with NO_COLOR set.
err = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)

STALE_EXIT = 3
"""`smschannel apply PLANFILE` exits 3, having applied nothing, when the saved plan is stale."""

StackOpt = Annotated[str | None, typer.Option("--stack", metavar="NAME",
                                              help="The stack to use when the app has several.")]
ProjectOpt = Annotated[Path | None, typer.Option("--project", metavar="DIR",
                                                 help="The CDKTF project (default: the current folder).")]
AutoApproveOpt = Annotated[bool, typer.Option("--auto-approve", help="Skip the interactive approval. Without a "
                                              "terminal, this flag (or a saved plan) is required.")]


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


def _say(line: str) -> None:
    """Progress, on stderr so that stdout stays Terraform's."""
    err.print(line, style="dim", markup=False)


def _confirm(question: str) -> bool:
    """Terraform's approval: only `yes` approves."""
    out.print(f"\n{question}\n", markup=False)
    try:
        answer = input("  Enter a value: ")
    except EOFError:
        answer = ""
    out.print("")
    return answer.strip() == "yes"


def _approval(command: str, auto_approve: bool) -> Any:
    """How `command` gets approved: None with --auto-approve; else a prompt, which needs a terminal."""
    if auto_approve:
        return None
    if not sys.stdin.isatty():
        raise _fail(SmschannelError(
            f"smschannel {command} needs approval and there is no terminal to ask on: pass --auto-approve"
            + (", or apply a saved plan (smschannel plan --out FILE, then smschannel apply FILE)"
               if command == "apply" else "")))
    return _confirm


def _project(project: Path | None) -> Project:
    from smschannel.workflow import Project

    return Project.find(project)


@app.command()
def up(
    state_dir: Annotated[Path, typer.Option("--state-dir", help="Where the registry and the local vendors keep "
                                            "their data, and where endpoints.json is written.")] = Path("state"),
    port: Annotated[int, typer.Option(help="The registry's port (0: any free port).")] = 0,
) -> None:
    """Start a local registry and local vendors (stop with Ctrl-C).

    The registry keeps its data in SQLite under --state-dir; the local Twilio, Sinch, Infobip and custom
    vendors and a local DNS server run on loopback.
    """
    with _needs_serve_extra("up"):
        from smschannel.local import run_until_interrupted

    try:
        run_until_interrupted(state_dir, registry_port=port, announce=lambda msg: out.print(msg))
    except SmschannelError as exc:
        raise _fail(exc) from None


@app.command()
def serve(
    database: Annotated[str, typer.Option(
        metavar="PATH|URL", envvar="SMSCHANNEL_REGISTRY_DATABASE",
        help="A SQLite file, or a PostgreSQL URL such as postgresql+psycopg://user@db/smschannel (the "
        "password in PGPASSWORD); several registries may share one PostgreSQL.")] = "registry.db",
    key_file: Annotated[Path, typer.Option(metavar="FILE", envvar="SMSCHANNEL_REGISTRY_KEY_FILE",
                                           help="The master key file (created if missing).")] = Path("registry.key"),
    host: Annotated[str, typer.Option(metavar="ADDRESS", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="The port to listen on.")] = 8600,
    public_url: Annotated[str | None, typer.Option(
        metavar="URL", envvar="SMSCHANNEL_REGISTRY_PUBLIC_URL",
        help="The address vendors call, e.g. https://sms.example.com behind a proxy; every webhook URL and "
        "vendor wiring starts with it. Default: http://ADDRESS:PORT.")] = None,
) -> None:
    """Run the registry. Other settings come from SMSCHANNEL_* variables (README: "Running the registry"),
    among them where delegated subdomains' records are published (SMSCHANNEL_DNS_UPDATE_SERVER and the
    TSIG key that signs the updates)."""
    with _needs_serve_extra("serve"):
        import uvicorn

        from smschannel.registry.app import create_app
        from smschannel.registry.settings import RegistrySettings

    settings = RegistrySettings.from_env(database=database, key_file=str(key_file),
                                         public_url=public_url or f"http://{host}:{port}")
    _say(f"registry on http://{host}:{port}; webhook URLs start with {settings.public_url}")
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
        proj.synth(_say)
        for stack in proj.stacks():
            out.print(f"synthesized {proj.outdir / 'stacks' / stack / 'cdk.tf.json'}", markup=False)
    except SmschannelError as exc:
        raise _fail(exc) from None


@app.command()
def plan(
    out_file: Annotated[Path | None, typer.Option("--out", metavar="FILE", help="Save the plan for `smschannel "
                                                  "apply FILE` (what is applied is then exactly what was shown).")]
    = None,
    json_file: Annotated[Path | None, typer.Option("--json", metavar="FILE", help="Write the plan as JSON.")] = None,
    summary: Annotated[Path | None, typer.Option("--summary", metavar="FILE", help="Write the pull-request "
                                                 "comment (Markdown), also when the plan fails.")] = None,
    detailed_exitcode: Annotated[bool, typer.Option("--detailed-exitcode", help="Exit 0 with no changes, 2 with "
                                                    "changes, 1 on an error.")] = False,
    stack: StackOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Show what apply would change."""
    from smschannel import workflow
    from smschannel.pipeline import failure_comment, parse, plan_comment

    label = stack or "default"
    try:
        proj = _project(project)
        proj.synth(_say)
        tf = proj.terraform(stack)
        label = stack or tf.workdir.name
        outcome, plan_file = workflow.plan(tf, out=out_file, detailed=detailed_exitcode, say=_say,
                                           keep=summary is not None)
        if outcome.code not in (0, 2):
            if summary:
                summary.write_text(failure_comment(stack=label, errors=parse(outcome.stdout + outcome.stderr),
                                                   output=outcome.stdout + outcome.stderr))
            raise typer.Exit(code=outcome.code)
        if json_file or summary:
            shown, text = workflow.show(tf, plan_file)
            if json_file:
                json_file.write_text(json.dumps(shown, indent=2))
            if summary:
                summary.write_text(plan_comment(shown, stack=label, plan_text=text,
                                                diagnostics=parse(outcome.stdout + outcome.stderr)))
    except SmschannelError as exc:
        if summary:
            summary.write_text(failure_comment(stack=label, errors=[], message=str(exc)))
        raise _fail(exc) from None
    raise typer.Exit(code=outcome.code)


@app.command()
def apply(
    plan_file: Annotated[Path | None, typer.Argument(metavar="[PLANFILE]", help="A plan saved by `smschannel plan "
                                                     "--out`: applied only if the code and the state still match "
                                                     "it (else exit code 3, nothing applied).")] = None,
    auto_approve: AutoApproveOpt = False,
    stack: StackOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Apply the changes (a saved plan exactly).

    Without PLANFILE: plan, show the plan, ask for approval, and apply that plan.

    A saved plan was approved when it was reviewed: it is applied without a question, after checking
    that the code (synthesized again) and the state are still the ones it was made from.
    """
    from smschannel import workflow

    confirm = _approval("apply", auto_approve) if plan_file is None else None
    try:
        proj = _project(project)
        proj.synth(_say)
        tf = proj.terraform(stack)
        if plan_file is None:
            code = workflow.apply_now(tf, confirm=confirm, say=_say).code
        else:
            code = workflow.apply_saved(tf, plan_file, say=_say).code
    except workflow.StalePlan as exc:
        _fail(exc)
        raise typer.Exit(code=STALE_EXIT) from None
    except SmschannelError as exc:
        raise _fail(exc) from None
    raise typer.Exit(code=code)


@app.command()
def destroy(auto_approve: AutoApproveOpt = False, stack: StackOpt = None, project: ProjectOpt = None) -> None:
    """Destroy every object of the stack (after approval)."""
    from smschannel import workflow

    confirm = _approval("destroy", auto_approve)
    try:
        proj = _project(project)
        proj.synth(_say)
        code = workflow.apply_now(proj.terraform(stack), confirm=confirm, destroy=True, say=_say).code
    except SmschannelError as exc:
        raise _fail(exc) from None
    raise typer.Exit(code=code)


@app.command("import")
def import_(
    address: Annotated[str, typer.Argument(metavar="ADDRESS", help="The resource address, e.g. "
                                           "smschannel_configuration.main.")],
    object_id: Annotated[str, typer.Argument(metavar="ID", help="The object's id in the registry.")],
    stack: StackOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Bring an existing registry object under Terraform."""
    from smschannel import workflow

    try:
        proj = _project(project)
        proj.synth(_say)
        code = workflow.run(proj.terraform(stack), ["import", "-input=false", address, object_id], say=_say).code
    except SmschannelError as exc:
        raise _fail(exc) from None
    raise typer.Exit(code=code)


@app.command()
def drift(
    summary: Annotated[Path | None, typer.Option("--summary", metavar="FILE", help="Write what drifted as "
                                                 "Markdown (the body of the drift issue).")] = None,
    stack: StackOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Show what changed outside the code.

    A refresh-only plan: exit 0 when nothing changed, 2 when something did, 1 on an error.
    """
    from smschannel import workflow
    from smschannel.pipeline import drift_comment

    try:
        proj = _project(project)
        proj.synth(_say)
        tf = proj.terraform(stack)
        outcome, plan_file = workflow.plan(tf, out=None, detailed=True, refresh_only=True, say=_say)
        if summary and outcome.code in (0, 2):
            shown, text = workflow.show(tf, plan_file)
            summary.write_text(drift_comment(shown, stack=stack or tf.workdir.name, plan_text=text))
    except SmschannelError as exc:
        raise _fail(exc) from None
    raise typer.Exit(code=outcome.code)


@ci_app.command("comment")
def ci_comment(
    body_file: Annotated[Path, typer.Option("--body-file", metavar="FILE", help="The comment, as written by "
                                            "`smschannel plan --summary`.")],
    number: Annotated[int | None, typer.Option("--pr", metavar="NUMBER", help="The pull (merge) request. Default: "
                                               "the one the pipeline runs for.")] = None,
) -> None:
    """Post the plan comment on the pull request, or update the one posted before (found by its hidden
    marker), so the pull request keeps one comment per stack."""
    from smschannel.pipeline import forge_from_env, request_number

    try:
        body = body_file.read_text()
        found = _marker_of(body)
        with closing(forge_from_env()) as forge:
            where = forge.upsert_comment(number or request_number(forge), body, found)
    except (SmschannelError, OSError) as exc:
        raise _fail(exc if isinstance(exc, SmschannelError) else SmschannelError(str(exc))) from None
    out.print(where, markup=False)


@ci_app.command("reviewed-plan")
def ci_reviewed_plan(
    out_file: Annotated[Path, typer.Option("--out", metavar="FILE", help="Where to write the plan.")],
    sha: Annotated[str | None, typer.Option("--sha", metavar="COMMIT", help="The merge commit (default: "
                                            "GITHUB_SHA or CI_COMMIT_SHA).")] = None,
) -> None:
    """Fetch the plan reviewed in the pull request that a merge commit came from. Exit 3 when there is
    none for the pull request's last commit: plan again and have that plan approved."""
    from smschannel.errors import StalePlan
    from smschannel.pipeline import forge_from_env

    commit = sha or os.environ.get("GITHUB_SHA") or os.environ.get("CI_COMMIT_SHA") or ""
    try:
        if not commit:
            raise SmschannelError("pass --sha COMMIT (no GITHUB_SHA or CI_COMMIT_SHA here)")
        with closing(forge_from_env()) as forge:
            number = forge.reviewed_plan(commit, out_file)
    except StalePlan as exc:
        _fail(exc)
        raise typer.Exit(code=STALE_EXIT) from None
    except SmschannelError as exc:
        raise _fail(exc) from None
    out.print(f"{out_file}: the plan reviewed in #{number}", markup=False)


@ci_app.command("drift-issue")
def ci_drift_issue(
    body_file: Annotated[Path, typer.Option("--body-file", metavar="FILE", help="What `smschannel drift "
                                            "--summary` wrote.")],
    drifted: Annotated[bool, typer.Option("--drifted/--no-drift", help="Whether the drift check found "
                                          "changes (its exit code was 2).")],
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="The issue's title.")]
    = "smschannel: changes made outside the code",
) -> None:
    """Open or update the drift issue when something drifted; close it once nothing has."""
    from smschannel.pipeline import forge_from_env

    try:
        body = body_file.read_text()
        found = _marker_of(body)
        with closing(forge_from_env()) as forge:
            if drifted:
                out.print(forge.upsert_issue(title, body, found), markup=False)
            else:
                closed = forge.close_issue(found, body)
                out.print(f"closed {closed}" if closed else "no drift, no open drift issue", markup=False)
    except (SmschannelError, OSError) as exc:
        raise _fail(exc if isinstance(exc, SmschannelError) else SmschannelError(str(exc))) from None


def _marker_of(body: str) -> str:
    first = body.split("\n", 1)[0].strip()
    if not (first.startswith("<!-- smschannel:") and first.endswith("-->")):
        raise SmschannelError("the body has no smschannel marker on its first line: write it with "
                              "smschannel plan --summary or smschannel drift --summary")
    return first


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
    out.print("It runs the provider with $SMSCHANNEL_PYTHON (else python3 on PATH). For plain terraform, set:\n"
              f"  export SMSCHANNEL_PYTHON={sys.executable}", markup=False)
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

    register(app, token_app, CONVENTIONS)


_register_registry_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
