"""The pipeline's calls to GitHub or GitLab: one comment per pull request updated in place, one issue
for drift, and the reviewed plan of the pull request a merge commit came from.

Each forge is read from the variables its CI sets (GitHub Actions: `GITHUB_API_URL`,
`GITHUB_REPOSITORY`, `GITHUB_TOKEN`; GitLab CI: `CI_API_V4_URL`, `CI_PROJECT_ID`, `GITLAB_TOKEN`), and
takes a `transport` so tests can point it anywhere. Comments and issues are found again by the hidden
marker at the top of their body.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from smschannel.errors import ForgeError, StalePlan
from smschannel.pipeline.saved_plan import HOW_TO_GO_ON

PLAN_ARTIFACT = "smschannel-plan-{number}"
"""GitHub: the artifact name the pull request's plan job uploads (its number filled in)."""
PLAN_JOB = "smschannel-plan"
"""GitLab: the merge-request job whose artifacts hold the plan."""
PLAN_FILE = "plan.tfplan"
DRIFT_LABEL = "smschannel-drift"


class Forge(Protocol):
    def upsert_comment(self, number: int, body: str, marker: str) -> str:
        """Create or update the comment holding `marker` on pull/merge request `number`; return its URL."""
        ...

    def upsert_issue(self, title: str, body: str, marker: str) -> str:
        """Create or update the open issue holding `marker`; return its URL."""
        ...

    def close_issue(self, marker: str, note: str) -> str | None:
        """Close the open issue holding `marker` (with `note`); return its URL, or None when none is open."""
        ...

    def reviewed_plan(self, sha: str, dest: Path) -> int:
        """Fetch the plan reviewed in the pull request that commit `sha` merged; return its number."""
        ...

    def request_for(self, sha: str) -> int:
        """The pull (merge) request that commit `sha` merged."""
        ...

    def close(self) -> None:
        ...


def _check(response: httpx.Response, what: str) -> httpx.Response:
    if response.status_code >= 400:
        try:
            detail = response.json().get("message", "")
        except ValueError:
            detail = ""
        raise ForgeError(f"{what} failed: {response.status_code} {response.reason_phrase}"
                         + (f" ({detail})" if detail else ""), status=response.status_code)
    return response


def _need(env: Mapping[str, str], *names: str) -> list[str]:
    missing = [n for n in names if not env.get(n)]
    if missing:
        raise ForgeError(f"set {', '.join(missing)} (the pipeline's {'variables' if len(missing) > 1 else 'variable'}"
                         " for its forge)")
    return [env[n] for n in names]


@dataclass
class GitHub:
    repository: str
    client: httpx.Client

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, transport: httpx.BaseTransport | None = None) -> GitHub:
        env = os.environ if env is None else env
        repository, token = _need(env, "GITHUB_REPOSITORY", "GITHUB_TOKEN")
        base = env.get("GITHUB_API_URL") or "https://api.github.com"
        client = httpx.Client(base_url=base, transport=transport, follow_redirects=True, timeout=60, headers={
            "Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28"})
        return cls(repository, client)

    def close(self) -> None:
        self.client.close()

    def _pages(self, path: str, what: str, **params: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in range(1, 51):
            batch = _check(self.client.get(path, params={**params, "per_page": 100, "page": page}), what).json()
            items = batch.get("artifacts", []) if isinstance(batch, dict) else batch
            found += items
            if len(items) < 100:
                break
        return found

    def upsert_comment(self, number: int, body: str, marker: str) -> str:
        repo = f"/repos/{self.repository}"
        for comment in self._pages(f"{repo}/issues/{number}/comments", "reading the pull request's comments"):
            if marker in (comment.get("body") or ""):
                done = self.client.patch(f"{repo}/issues/comments/{comment['id']}", json={"body": body})
                return str(_check(done, "updating the comment").json()["html_url"])
        done = self.client.post(f"{repo}/issues/{number}/comments", json={"body": body})
        return str(_check(done, "commenting on the pull request").json()["html_url"])

    def _open_issue(self, marker: str) -> dict[str, Any] | None:
        issues = self._pages(f"/repos/{self.repository}/issues", "reading the open issues", state="open",
                             labels=DRIFT_LABEL)
        return next((i for i in issues if marker in (i.get("body") or "")), None)

    def upsert_issue(self, title: str, body: str, marker: str) -> str:
        found = self._open_issue(marker)
        if found is not None:
            done = self.client.patch(f"/repos/{self.repository}/issues/{found['number']}", json={"body": body})
            return str(_check(done, "updating the issue").json()["html_url"])
        done = self.client.post(f"/repos/{self.repository}/issues",
                                json={"title": title, "body": body, "labels": [DRIFT_LABEL]})
        return str(_check(done, "opening an issue").json()["html_url"])

    def close_issue(self, marker: str, note: str) -> str | None:
        found = self._open_issue(marker)
        if found is None:
            return None
        _check(self.client.post(f"/repos/{self.repository}/issues/{found['number']}/comments", json={"body": note}),
               "commenting on the issue")
        done = self.client.patch(f"/repos/{self.repository}/issues/{found['number']}", json={"state": "closed"})
        return str(_check(done, "closing the issue").json()["html_url"])

    def _merged(self, sha: str) -> tuple[int, str]:
        pulls = _check(self.client.get(f"/repos/{self.repository}/commits/{sha}/pulls"),
                       "finding the merged pull request").json()
        merged = [p for p in pulls if p.get("merged_at")] or pulls
        if not merged:
            raise StalePlan(f"commit {sha[:12]} came from no pull request, so no plan of it was reviewed; "
                            + HOW_TO_GO_ON)
        return int(merged[0]["number"]), str(merged[0]["head"]["sha"])

    def request_for(self, sha: str) -> int:
        return self._merged(sha)[0]

    def reviewed_plan(self, sha: str, dest: Path) -> int:
        repo = f"/repos/{self.repository}"
        number, head = self._merged(sha)
        artifacts = self._pages(f"{repo}/actions/artifacts", "listing artifacts", name=PLAN_ARTIFACT.format(
            number=number))
        reviewed = [a for a in artifacts if not a.get("expired") and (a.get("workflow_run") or {}).get("head_sha")
                    == head]
        if not reviewed:
            raise StalePlan(f"pull request #{number} has no plan of its last commit {head[:12]} (failed, or expired); "
                            + HOW_TO_GO_ON)
        newest = max(reviewed, key=lambda a: str(a.get("created_at", "")))
        archive = _check(self.client.get(f"{repo}/actions/artifacts/{newest['id']}/zip"), "downloading the plan")
        with zipfile.ZipFile(io.BytesIO(archive.content)) as unpacked:
            if PLAN_FILE not in unpacked.namelist():
                raise ForgeError(f"the artifact {newest.get('name')} holds no {PLAN_FILE}")
            dest.write_bytes(unpacked.read(PLAN_FILE))
        return number


@dataclass
class GitLab:
    project: str
    client: httpx.Client

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, transport: httpx.BaseTransport | None = None) -> GitLab:
        env = os.environ if env is None else env
        base, project, token = _need(env, "CI_API_V4_URL", "CI_PROJECT_ID", "GITLAB_TOKEN")
        client = httpx.Client(base_url=base, transport=transport, follow_redirects=True, timeout=60,
                              headers={"PRIVATE-TOKEN": token})
        return cls(quote(project, safe=""), client)

    def close(self) -> None:
        self.client.close()

    def _get(self, path: str, what: str, **params: Any) -> Any:
        return _check(self.client.get(f"/projects/{self.project}{path}", params={"per_page": 100, **params}),
                      what).json()

    def upsert_comment(self, number: int, body: str, marker: str) -> str:
        notes = self._get(f"/merge_requests/{number}/notes", "reading the merge request's notes")
        found = next((n for n in notes if marker in (n.get("body") or "")), None)
        path = f"/projects/{self.project}/merge_requests/{number}/notes"
        if found is not None:
            _check(self.client.put(f"{path}/{found['id']}", json={"body": body}), "updating the note")
            return f"merge request !{number}, note {found['id']}"
        made = _check(self.client.post(path, json={"body": body}), "commenting on the merge request").json()
        return f"merge request !{number}, note {made['id']}"

    def _open_issue(self, marker: str) -> dict[str, Any] | None:
        issues = self._get("/issues", "reading the open issues", state="opened", labels=DRIFT_LABEL)
        return next((i for i in issues if marker in (i.get("description") or "")), None)

    def upsert_issue(self, title: str, body: str, marker: str) -> str:
        found = self._open_issue(marker)
        if found is not None:
            done = self.client.put(f"/projects/{self.project}/issues/{found['iid']}", json={"description": body})
            return str(_check(done, "updating the issue").json()["web_url"])
        done = self.client.post(f"/projects/{self.project}/issues",
                                json={"title": title, "description": body, "labels": DRIFT_LABEL})
        return str(_check(done, "opening an issue").json()["web_url"])

    def close_issue(self, marker: str, note: str) -> str | None:
        found = self._open_issue(marker)
        if found is None:
            return None
        _check(self.client.post(f"/projects/{self.project}/issues/{found['iid']}/notes", json={"body": note}),
               "commenting on the issue")
        done = self.client.put(f"/projects/{self.project}/issues/{found['iid']}", json={"state_event": "close"})
        return str(_check(done, "closing the issue").json()["web_url"])

    def _merged(self, sha: str) -> tuple[int, str]:
        requests = self._get(f"/repository/commits/{sha}/merge_requests", "finding the merged merge request")
        merged = [m for m in requests if m.get("state") == "merged"] or requests
        if not merged:
            raise StalePlan(f"commit {sha[:12]} came from no merge request, so no plan of it was reviewed; "
                            + HOW_TO_GO_ON)
        return int(merged[0]["iid"]), str(merged[0]["sha"])

    def request_for(self, sha: str) -> int:
        return self._merged(sha)[0]

    def reviewed_plan(self, sha: str, dest: Path) -> int:
        number, head = self._merged(sha)
        for pipeline in self._get(f"/merge_requests/{number}/pipelines", "listing the merge request's pipelines"):
            if pipeline.get("sha") != head:
                continue
            jobs = self._get(f"/pipelines/{pipeline['id']}/jobs", "listing the pipeline's jobs", scope="success")
            job = next((j for j in jobs if j.get("name") == PLAN_JOB), None)
            if job is None:
                continue
            raw = _check(self.client.get(f"/projects/{self.project}/jobs/{job['id']}/artifacts/{PLAN_FILE}"),
                         "downloading the plan")
            dest.write_bytes(raw.content)
            return number
        raise StalePlan(f"merge request !{number} has no plan of its last commit {head[:12]} (failed, or expired); "
                        + HOW_TO_GO_ON)


def forge_from_env(env: Mapping[str, str] | None = None, *, transport: httpx.BaseTransport | None = None) -> Forge:
    """GitHub in GitHub Actions, GitLab in GitLab CI (SMSCHANNEL_FORGE=github|gitlab chooses elsewhere)."""
    env = os.environ if env is None else env
    chosen = env.get("SMSCHANNEL_FORGE") or ("github" if env.get("GITHUB_ACTIONS") else
                                             "gitlab" if env.get("GITLAB_CI") else "")
    if chosen == "github":
        return GitHub.from_env(env, transport=transport)
    if chosen == "gitlab":
        return GitLab.from_env(env, transport=transport)
    raise ForgeError("not in GitHub Actions or GitLab CI: set SMSCHANNEL_FORGE to github or gitlab")


def request_number(forge: Forge, env: Mapping[str, str] | None = None) -> int:
    """The pull (merge) request the pipeline runs for: GitHub's event file, GitLab's variable, or (after
    a merge) the one the commit came from."""
    env = os.environ if env is None else env
    if env.get("CI_MERGE_REQUEST_IID"):
        return int(env["CI_MERGE_REQUEST_IID"])
    event = env.get("GITHUB_EVENT_PATH")
    if event and Path(event).is_file():
        number = (json.loads(Path(event).read_text()).get("pull_request") or {}).get("number")
        if number:
            return int(number)
    sha = env.get("GITHUB_SHA") or env.get("CI_COMMIT_SHA")
    if sha:
        return forge.request_for(sha)
    raise ForgeError("no pull request here: pass --pr NUMBER")


__all__ = [
    "DRIFT_LABEL",
    "PLAN_ARTIFACT",
    "PLAN_FILE",
    "PLAN_JOB",
    "Forge",
    "GitHub",
    "GitLab",
    "forge_from_env",
    "request_number",
]
