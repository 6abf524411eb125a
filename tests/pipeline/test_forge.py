"""`smschannel ci ...` against GitHub's and GitLab's API (a loopback stand-in): one plan comment per
stack updated in place, the reviewed plan of the merged pull request (and a refusal when there is
none for its last commit), and the drift issue opened, updated and closed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smschannel.cli import STALE_EXIT, app
from smschannel.emulators import LocalServer
from smschannel.pipeline import marker
from tests.pipeline.fake_forge import TOKEN, ForgeState, create_app


@pytest.fixture
def forge() -> Iterator[tuple[ForgeState, str]]:
    state = ForgeState()
    with LocalServer(create_app(state)) as server:
        yield state, server.url


@pytest.fixture
def github(forge: tuple[ForgeState, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ForgeState:
    state, url = forge
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7}}))
    for name, value in {"GITHUB_ACTIONS": "true", "GITHUB_API_URL": url, "GITHUB_REPOSITORY": "acme/channels",
                        "GITHUB_TOKEN": TOKEN, "GITHUB_EVENT_PATH": str(event)}.items():
        monkeypatch.setenv(name, value)
    return state


@pytest.fixture
def gitlab(forge: tuple[ForgeState, str], monkeypatch: pytest.MonkeyPatch) -> ForgeState:
    state, url = forge
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    for name, value in {"GITLAB_CI": "true", "CI_API_V4_URL": f"{url}/api/v4", "CI_PROJECT_ID": "4242",
                        "GITLAB_TOKEN": TOKEN, "CI_MERGE_REQUEST_IID": "7"}.items():
        monkeypatch.setenv(name, value)
    return state


def body(text: str, stack: str = "channels") -> str:
    return f"{marker(stack)}\n## smschannel plan: `{stack}`\n\n{text}\n"


@pytest.mark.parametrize("which", ["github", "gitlab"])
def test_one_comment_per_stack_updated_in_place(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    state: ForgeState = request.getfixturevalue(which)
    runner = CliRunner()
    first, second, other = tmp_path / "1.md", tmp_path / "2.md", tmp_path / "3.md"
    first.write_text(body("first plan"))
    second.write_text(body("second plan"))
    other.write_text(body("another stack", stack="eu"))
    for path in (first, second, other):
        done = runner.invoke(app, ["ci", "comment", "--body-file", str(path)])
        assert done.exit_code == 0, done.output
    assert [c["body"] for c in state.comments[7]] == [body("second plan"), body("another stack", stack="eu")]


def test_a_body_without_marker_is_refused(github: ForgeState, tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("hello\n")
    done = CliRunner().invoke(app, ["ci", "comment", "--body-file", str(path)])
    assert done.exit_code == 1
    assert done.output.strip() == ("Error: the body has no smschannel marker on its first line: write it with "
                                   "smschannel plan --summary or smschannel drift --summary")
    assert github.comments == {}


def test_a_wrong_token_is_one_line(github: ForgeState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "wrong")
    path = tmp_path / "x.md"
    path.write_text(body("x"))
    done = CliRunner().invoke(app, ["ci", "comment", "--body-file", str(path)])
    assert done.exit_code == 1
    assert done.output.strip() == ("Error: reading the pull request's comments failed: 401 Unauthorized "
                                   "(Bad credentials)")
    assert "wrong" not in done.output


@pytest.mark.parametrize("which", ["github", "gitlab"])
def test_the_reviewed_plan_of_the_merged_request(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    state: ForgeState = request.getfixturevalue(which)
    runner = CliRunner()
    state.add_pull(number=7, merge_sha="m" * 40, head_sha="h" * 40)
    if which == "github":
        state.add_artifact(name="smschannel-plan-7", head_sha="old" + "h" * 37, plan=b"an older plan")
        state.add_artifact(name="smschannel-plan-7", head_sha="h" * 40, plan=b"the reviewed plan")
    else:
        state.add_gitlab_plan(number=7, head_sha="old" + "h" * 37, plan=b"an older plan")
        state.add_gitlab_plan(number=7, head_sha="h" * 40, plan=b"the reviewed plan")
    out = tmp_path / "plan.tfplan"
    done = runner.invoke(app, ["ci", "reviewed-plan", "--out", str(out), "--sha", "m" * 40])
    assert done.exit_code == 0, done.output
    assert out.read_bytes() == b"the reviewed plan"
    assert done.output.strip() == f"{out}: the plan reviewed in #7"

    state.add_pull(number=8, merge_sha="n" * 40, head_sha="k" * 40)  # its plan failed: no artifact
    done = runner.invoke(app, ["ci", "reviewed-plan", "--out", str(out), "--sha", "n" * 40])
    assert done.exit_code == STALE_EXIT
    kind = "pull request #8" if which == "github" else "merge request !8"
    assert done.output.strip() == (f"Error: {kind} has no plan of its last commit kkkkkkkkkkkk (failed, or expired); "
                                   "plan again (smschannel plan --out FILE) and have that plan reviewed before it is "
                                   "applied")


@pytest.mark.parametrize("which", ["github", "gitlab"])
def test_the_drift_issue_is_opened_updated_and_closed(which: str, request: pytest.FixtureRequest,
                                                      tmp_path: Path) -> None:
    state: ForgeState = request.getfixturevalue(which)
    runner = CliRunner()
    drifted = tmp_path / "drift.md"
    drifted.write_text(f"{marker('channels', 'drift')}\n1 object changed\n")
    for text in ("1 object changed", "2 objects changed"):
        drifted.write_text(f"{marker('channels', 'drift')}\n{text}\n")
        done = runner.invoke(app, ["ci", "drift-issue", "--body-file", str(drifted), "--drifted"])
        assert done.exit_code == 0, done.output
    assert len(state.issues) == 1
    issue = state.issues[0]
    assert issue.get("body", issue.get("description")) == f"{marker('channels', 'drift')}\n2 objects changed\n"
    clean = tmp_path / "clean.md"
    clean.write_text(f"{marker('channels', 'drift')}\nNo drift.\n")
    done = runner.invoke(app, ["ci", "drift-issue", "--body-file", str(clean), "--no-drift"])
    assert done.exit_code == 0, done.output
    assert issue["state"] == "closed" and issue["notes"] == [clean.read_text()]
    again = runner.invoke(app, ["ci", "drift-issue", "--body-file", str(clean), "--no-drift"])
    assert again.output.strip() == "no drift, no open drift issue"


def test_after_a_merge_the_comment_goes_to_the_merged_pull_request(github: ForgeState, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(tmp_path / "push-event.json"))  # a push: no pull request in it
    monkeypatch.setenv("GITHUB_SHA", "m" * 40)
    github.add_pull(number=9, merge_sha="m" * 40, head_sha="h" * 40)
    path = tmp_path / "plan.md"
    path.write_text(body("planned again after the merge"))
    done = CliRunner().invoke(app, ["ci", "comment", "--body-file", str(path)])
    assert done.exit_code == 0, done.output
    assert [c["body"] for c in github.comments[9]] == [body("planned again after the merge")]
