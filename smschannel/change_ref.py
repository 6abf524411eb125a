"""Which run and which change a registry call belongs to, sent with every call so the registry's audit
trail can say where a change came from.

- The run ID: `SMSCHANNEL_RUN_ID`, else the CI's own run (GitHub Actions, GitLab CI, Buildkite,
  CircleCI, Azure Pipelines, Jenkins), else one made up per process.
- The change reference: `SMSCHANNEL_CHANGE_REF` (a commit SHA, a pull-request URL, ...), else the CI's
  pull or merge request URL when it builds one, else its commit SHA; none outside CI.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

RUN_ID_HEADER = "X-Smschannel-Run-Id"
CHANGE_REF_HEADER = "X-Smschannel-Change-Ref"
_PROCESS_RUN = f"run-{uuid.uuid4().hex[:16]}"


def run_id(env: Mapping[str, str]) -> str:
    if env.get("SMSCHANNEL_RUN_ID"):
        return env["SMSCHANNEL_RUN_ID"]
    if env.get("GITHUB_RUN_ID"):
        return f"github:{env.get('GITHUB_REPOSITORY', '')}/{env['GITHUB_RUN_ID']}/{env.get('GITHUB_RUN_ATTEMPT', '1')}"
    for name, label in (("CI_PIPELINE_ID", "gitlab"), ("BUILDKITE_BUILD_ID", "buildkite"),
                        ("CIRCLE_WORKFLOW_ID", "circleci"), ("BUILD_BUILDID", "azure"), ("BUILD_TAG", "jenkins")):
        if env.get(name):
            return f"{label}:{env[name]}"
    return _PROCESS_RUN


def change_ref(env: Mapping[str, str]) -> str | None:
    if env.get("SMSCHANNEL_CHANGE_REF"):
        return env["SMSCHANNEL_CHANGE_REF"]
    if env.get("GITHUB_ACTIONS") and env.get("GITHUB_REF", "").startswith("refs/pull/"):
        number = env["GITHUB_REF"].split("/")[2]
        return f"{env.get('GITHUB_SERVER_URL', 'https://github.com')}/{env.get('GITHUB_REPOSITORY', '')}/pull/{number}"
    if env.get("CI_MERGE_REQUEST_IID") and env.get("CI_PROJECT_URL"):
        return f"{env['CI_PROJECT_URL']}/-/merge_requests/{env['CI_MERGE_REQUEST_IID']}"
    for name in ("GITHUB_SHA", "CI_COMMIT_SHA", "BUILDKITE_COMMIT", "CIRCLE_SHA1", "BUILD_SOURCEVERSION",
                 "GIT_COMMIT"):
        if env.get(name):
            return env[name]
    return None


def change_headers(env: Mapping[str, str]) -> dict[str, str]:
    """The headers a registry call carries (only printable ASCII, as HTTP headers must be)."""
    headers = {RUN_ID_HEADER: run_id(env)}
    ref = change_ref(env)
    if ref:
        headers[CHANGE_REF_HEADER] = ref
    return {k: v.encode("ascii", "replace").decode()[:500] for k, v in headers.items()}


__all__ = ["CHANGE_REF_HEADER", "RUN_ID_HEADER", "change_headers", "change_ref", "run_id"]
