"""The pipeline examples (`examples/ci/`): every step that runs smschannel runs a command that exists
with those options (parsed by the real command line), the reviewed plan is kept briefly and applied on
merge, a stale one is planned again and waits for approval, drift is checked on a schedule, and
vendor secrets reach only the steps that run Terraform."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from smschannel.cli import app
from tests.test_examples import EXAMPLES, hcl_files, read_example

GITHUB = EXAMPLES / "ci" / "github-actions.yml"
GITLAB = EXAMPLES / "ci" / "gitlab-ci.yml"
TERRAFORM_COMMANDS = {"plan", "apply", "drift"}
PIPELINE = {"plan", "apply", "drift", "ci comment", "ci reviewed-plan", "ci drift-issue"}
"""What the pipelines run; each is tested: plan/apply/drift in tests/pipeline/test_git_flow.py, the `ci`
commands in tests/pipeline/test_forge.py."""


def load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def invocations(script: str) -> list[list[str]]:
    """Each `smschannel ...` command in a shell script, expressions filled in with the first choice."""
    script = re.sub(r"\$\{\{[^}]*'(--[a-z-]+)'[^}]*\}\}", r"\1", script)  # ${{ cond && '--x' || '--y' }}
    script = re.sub(r"\$\(\[[^)]*echo (--[a-z-]+) \|\|[^)]*\)", r"\1", script)  # $([ test ] && echo --x || ...)
    found = []
    for line in script.splitlines():
        for part in re.split(r";|\|\||&&|\bthen\b", line):
            words = shlex.split(part.split("#")[0]) if "smschannel " in part else []
            if words and words[0] == "smschannel":
                found.append(words[1:])
    return found


def parse(args: list[str]) -> str:
    """Parse `args` with the real command line (nothing runs); return the command's name."""
    command: Any = typer.main.get_command(app)
    names = []
    rest = list(args)
    while hasattr(command, "get_command"):  # a group (Typer's own class, not click's)
        name = rest.pop(0)
        found = command.get_command(command.make_context("smschannel", [name]), name)
        assert found is not None, f"smschannel {' '.join(args)}: no command {name}"
        names.append(name)
        command = found
    command.make_context(" ".join(names), rest)  # raises on an unknown option or a missing one
    return " ".join(names)


def github_steps() -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in load(GITHUB)["jobs"].items() for step in job["steps"]]


def gitlab_scripts() -> list[tuple[str, str]]:
    return [(name, line) for name, job in load(GITLAB).items() if isinstance(job, dict) and "script" in job
            for line in job["script"]]


def test_every_smschannel_step_runs_a_real_command_of_the_pipeline() -> None:
    github = {parse(args) for _, step in github_steps() for args in invocations(step.get("run", ""))}
    gitlab = {parse(args) for _, line in gitlab_scripts() for args in invocations(line)}
    assert github == PIPELINE and gitlab == PIPELINE


def test_github_plans_pull_requests_keeps_the_plan_briefly_and_applies_it_on_merge() -> None:
    workflow: dict[Any, Any] = load(GITHUB)
    triggers = workflow["on"] if "on" in workflow else workflow[True]  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    jobs = workflow["jobs"]
    runs = {name: "\n".join(s.get("run", "") for s in job["steps"]) for name, job in jobs.items()}
    assert "pull_request" in jobs["plan"]["if"]
    assert "smschannel plan --out plan.tfplan --summary plan.md --detailed-exitcode" in runs["plan"]
    kept = next(s for s in jobs["plan"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert kept["with"]["path"] == "plan.tfplan" and kept["with"]["retention-days"] <= 7
    assert kept["with"]["name"] == "smschannel-plan-${{ github.event.pull_request.number }}"
    assert "smschannel ci comment --body-file plan.md" in runs["plan"]
    # On merge: the reviewed plan, never a new one.
    assert "refs/heads/main" in jobs["apply"]["if"]
    assert runs["apply"].index("smschannel ci reviewed-plan") < runs["apply"].index("smschannel apply plan.tfplan")
    assert "smschannel plan" not in runs["apply"]
    # Stale: a new plan is posted and applied only in the environment whose reviewers must approve it.
    assert jobs["replan"]["needs"] == "apply" and "stale" in jobs["replan"]["if"]
    assert "smschannel plan --out plan.tfplan" in runs["replan"] and "smschannel ci comment" in runs["replan"]
    assert jobs["apply-replanned"]["needs"] == "replan" and jobs["apply-replanned"]["environment"]
    assert "smschannel apply plan.tfplan" in runs["apply-replanned"]
    # Drift on a schedule, reported as an issue.
    assert "schedule" in jobs["drift"]["if"] and jobs["drift"]["permissions"]["issues"] == "write"
    assert "smschannel drift --summary drift.md" in runs["drift"] and "ci drift-issue" in runs["drift"]


def test_gitlab_does_the_same() -> None:
    pipeline = load(GITLAB)
    scripts = {name: "\n".join(job["script"]) for name, job in pipeline.items() if isinstance(job, dict)
               and "script" in job}
    assert "merge_request_event" in pipeline["smschannel-plan"]["rules"][0]["if"]
    assert pipeline["smschannel-plan"]["artifacts"] == {"paths": ["plan.tfplan"], "expire_in": "5 days"}
    apply = scripts["smschannel-apply"]
    assert apply.index("smschannel ci reviewed-plan") < apply.index("smschannel apply plan.tfplan")
    assert "smschannel plan" not in apply
    approval = pipeline["smschannel-apply-replanned"]
    assert approval["rules"][0]["when"] == "manual" and approval["environment"] == "smschannel-approval"
    assert "schedule" in pipeline["smschannel-drift"]["rules"][0]["if"]


@pytest.mark.parametrize("job_step", github_steps(), ids=lambda js: f"{js[0]}:{js[1].get('name', js[1].get('uses'))}")
def test_vendor_secrets_reach_only_the_steps_that_run_terraform(job_step: tuple[str, dict[str, Any]]) -> None:
    job, step = job_step
    variables = {"SMSCHANNEL_TOKEN"} | {
        value for path in hcl_files() for block in read_example(path).blocks
        for name, value in block.body.items() if name.endswith("_env") and isinstance(value, str)}
    run = step.get("run", "")
    env = step.get("env", {})
    assert "set -x" not in run, f"{job}: set -x prints every command's environment"
    commands = {parse(args) for args in invocations(run)}
    if commands & TERRAFORM_COMMANDS:
        assert {v: env.get(v) for v in variables} == {v: f"${{{{ secrets.{v} }}}}" for v in variables}
    else:
        assert not set(env) & variables, f"{job}: a secret reaches {step.get('name')}"
    for line in run.splitlines():
        if re.match(r"\s*(echo|printf)\b", line):
            assert not any(v in line for v in variables), f"{job}: {line.strip()} prints a secret"


def test_the_check_refuses_what_the_command_line_would() -> None:
    with pytest.raises(click_errors()) as caught:
        parse(["plan", "--bogus"])
    assert "No such option: --bogus" in str(caught.value)
    with pytest.raises(click_errors(), match="Missing parameter: body_file"):
        parse(["ci", "comment"])
    with pytest.raises(AssertionError, match="smschannel ci nope: no command nope"):
        parse(["ci", "nope"])
    assert invocations("code=0; smschannel drift --summary d.md || code=$?\nsmschannel ci drift-issue --body-file "
                       "d.md $([ \"$code\" -eq 2 ] && echo --drifted || echo --no-drift)") == [
        ["drift", "--summary", "d.md"], ["ci", "drift-issue", "--body-file", "d.md", "--drifted"]]


def click_errors() -> type[Exception]:
    from typer._click.exceptions import UsageError

    error: type[Exception] = UsageError
    return error
