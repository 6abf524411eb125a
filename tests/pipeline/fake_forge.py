"""GitHub's and GitLab's REST API as far as the pipeline uses them, in memory, served on loopback: a
stand-in for those SaaS APIs (like the vendor emulators). Routes and shapes follow the documented
API: issue comments, issues, `commits/{sha}/pulls`, artifacts and their zip download (a redirect,
as GitHub answers); GitLab's notes, issues, merge requests, pipelines, jobs and job artifacts."""

from __future__ import annotations

import io
import itertools
import zipfile
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

TOKEN = "forge-test-token"


@dataclass
class ForgeState:
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)
    pulls_by_commit: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    blobs: dict[int, bytes] = field(default_factory=dict)
    pipelines: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    jobs: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    def add_pull(self, *, number: int, merge_sha: str, head_sha: str) -> None:
        self.pulls_by_commit.setdefault(merge_sha, []).append(
            {"number": number, "merged_at": "2026-01-01T00:00:00Z", "head": {"sha": head_sha},
             "state": "merged", "iid": number, "sha": head_sha})

    def add_artifact(self, *, name: str, head_sha: str, plan: bytes, expired: bool = False) -> int:
        ident = next(self.ids)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("plan.tfplan", plan)
        self.blobs[ident] = buffer.getvalue()
        self.artifacts.append({"id": ident, "name": name, "expired": expired, "created_at": f"2026-01-01T00:{ident}",
                               "workflow_run": {"head_sha": head_sha}})
        return ident

    def add_gitlab_plan(self, *, number: int, head_sha: str, plan: bytes) -> None:
        pipeline, job = next(self.ids), next(self.ids)
        self.pipelines.setdefault(number, []).append({"id": pipeline, "sha": head_sha})
        self.jobs[pipeline] = [{"id": job, "name": "smschannel-plan", "status": "success"}]
        self.blobs[job] = plan


def create_app(state: ForgeState) -> FastAPI:
    app = FastAPI()

    @app.exception_handler(HTTPException)
    async def as_github(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"message": exc.detail}, status_code=exc.status_code)  # GitHub's error shape

    def auth(authorization: str | None, private_token: str | None) -> None:
        if authorization != f"Bearer {TOKEN}" and private_token != TOKEN:
            raise HTTPException(401, "Bad credentials")

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Any:
        state.requests.append(f"{request.method} {request.url.path}")
        return await call_next(request)

    # --- GitHub
    @app.get("/repos/{owner}/{repo}/issues/{number}/comments")
    def gh_comments(number: int, authorization: str | None = Header(None), page: int = 1) -> list[dict[str, Any]]:
        auth(authorization, None)
        return state.comments.get(number, [])[(page - 1) * 100:page * 100]

    @app.post("/repos/{owner}/{repo}/issues/{number}/comments", status_code=201)
    async def gh_comment(number: int, request: Request, authorization: str | None = Header(None)) -> dict[str, Any]:
        auth(authorization, None)
        body = (await request.json())["body"]
        comment = {"id": next(state.ids), "body": body, "html_url": f"https://github.test/pr/{number}#c"}
        if any(i["number"] == number for i in state.issues):  # a comment on an issue
            next(i for i in state.issues if i["number"] == number).setdefault("notes", []).append(body)
        else:
            state.comments.setdefault(number, []).append(comment)
        return comment

    @app.patch("/repos/{owner}/{repo}/issues/comments/{ident}")
    async def gh_edit(ident: int, request: Request, authorization: str | None = Header(None)) -> dict[str, Any]:
        auth(authorization, None)
        for comment in itertools.chain.from_iterable(state.comments.values()):
            if comment["id"] == ident:
                comment["body"] = (await request.json())["body"]
                return comment
        raise HTTPException(404, "Not Found")

    @app.get("/repos/{owner}/{repo}/issues")
    def gh_issues(labels: str = "", authorization: str | None = Header(None), page: int = 1) -> list[dict[str, Any]]:
        auth(authorization, None)
        found = [i for i in state.issues if i["state"] == "open" and labels in i["labels"]]
        return found[(page - 1) * 100:page * 100]

    @app.post("/repos/{owner}/{repo}/issues", status_code=201)
    async def gh_issue(request: Request, authorization: str | None = Header(None)) -> dict[str, Any]:
        auth(authorization, None)
        body = await request.json()
        number = next(state.ids)
        issue = {"number": number, "title": body["title"], "body": body["body"], "labels": body.get("labels", []),
                 "state": "open", "html_url": f"https://github.test/issues/{number}"}
        state.issues.append(issue)
        return issue

    @app.patch("/repos/{owner}/{repo}/issues/{number}")
    async def gh_edit_issue(number: int, request: Request, authorization: str | None = Header(None)) -> dict[str, Any]:
        auth(authorization, None)
        issue = next((i for i in state.issues if i["number"] == number), None)
        if issue is None:
            raise HTTPException(404, "Not Found")
        issue.update(await request.json())
        return issue

    @app.get("/repos/{owner}/{repo}/commits/{sha}/pulls")
    def gh_pulls(sha: str, authorization: str | None = Header(None)) -> list[dict[str, Any]]:
        auth(authorization, None)
        return state.pulls_by_commit.get(sha, [])

    @app.get("/repos/{owner}/{repo}/actions/artifacts")
    def gh_artifacts(name: str = "", authorization: str | None = Header(None), page: int = 1) -> dict[str, Any]:
        auth(authorization, None)
        found = [a for a in state.artifacts if a["name"] == name]
        return {"total_count": len(found), "artifacts": found[(page - 1) * 100:page * 100]}

    @app.get("/repos/{owner}/{repo}/actions/artifacts/{ident}/zip")
    def gh_zip(ident: int, authorization: str | None = Header(None)) -> Response:
        auth(authorization, None)
        return RedirectResponse(f"/blobs/{ident}", status_code=302)

    @app.get("/blobs/{ident}")
    def blob(ident: int) -> Response:
        return Response(state.blobs[ident], media_type="application/zip")

    # --- GitLab (under /api/v4)
    @app.get("/api/v4/projects/{project}/merge_requests/{number}/notes")
    def gl_notes(number: int, private_token: str | None = Header(None)) -> list[dict[str, Any]]:
        auth(None, private_token)
        return state.comments.get(number, [])

    @app.post("/api/v4/projects/{project}/merge_requests/{number}/notes", status_code=201)
    async def gl_note(number: int, request: Request, private_token: str | None = Header(None)) -> dict[str, Any]:
        auth(None, private_token)
        note = {"id": next(state.ids), "body": (await request.json())["body"]}
        state.comments.setdefault(number, []).append(note)
        return note

    @app.put("/api/v4/projects/{project}/merge_requests/{number}/notes/{ident}")
    async def gl_edit(number: int, ident: int, request: Request,
                      private_token: str | None = Header(None)) -> dict[str, Any]:
        auth(None, private_token)
        note = next(n for n in state.comments[number] if n["id"] == ident)
        note["body"] = (await request.json())["body"]
        return note

    @app.get("/api/v4/projects/{project}/repository/commits/{sha}/merge_requests")
    def gl_mrs(sha: str, private_token: str | None = Header(None)) -> list[dict[str, Any]]:
        auth(None, private_token)
        return state.pulls_by_commit.get(sha, [])

    @app.get("/api/v4/projects/{project}/merge_requests/{number}/pipelines")
    def gl_pipelines(number: int, private_token: str | None = Header(None)) -> list[dict[str, Any]]:
        auth(None, private_token)
        return state.pipelines.get(number, [])

    @app.get("/api/v4/projects/{project}/pipelines/{pipeline}/jobs")
    def gl_jobs(pipeline: int, private_token: str | None = Header(None)) -> list[dict[str, Any]]:
        auth(None, private_token)
        return state.jobs.get(pipeline, [])

    @app.get("/api/v4/projects/{project}/jobs/{job}/artifacts/{path}")
    def gl_artifact(job: int, path: str, private_token: str | None = Header(None)) -> Response:
        auth(None, private_token)
        return Response(state.blobs[job], media_type="application/octet-stream")

    @app.get("/api/v4/projects/{project}/issues")
    def gl_issues(private_token: str | None = Header(None), labels: str = "") -> list[dict[str, Any]]:
        auth(None, private_token)
        return [i for i in state.issues if i["state"] == "opened" and labels in i["labels"]]

    @app.post("/api/v4/projects/{project}/issues", status_code=201)
    async def gl_issue(request: Request, private_token: str | None = Header(None)) -> dict[str, Any]:
        auth(None, private_token)
        body = await request.json()
        iid = next(state.ids)
        issue = {"iid": iid, "title": body["title"], "description": body["description"],
                 "labels": body.get("labels", ""), "state": "opened", "web_url": f"https://gitlab.test/issues/{iid}"}
        state.issues.append(issue)
        return issue

    @app.put("/api/v4/projects/{project}/issues/{iid}")
    async def gl_edit_issue(iid: int, request: Request, private_token: str | None = Header(None)) -> dict[str, Any]:
        auth(None, private_token)
        issue = next(i for i in state.issues if i["iid"] == iid)
        body = await request.json()
        if body.get("state_event") == "close":
            issue["state"] = "closed"
        if "description" in body:
            issue["description"] = body["description"]
        return issue

    @app.post("/api/v4/projects/{project}/issues/{iid}/notes", status_code=201)
    async def gl_issue_note(iid: int, request: Request, private_token: str | None = Header(None)) -> dict[str, Any]:
        auth(None, private_token)
        issue = next(i for i in state.issues if i["iid"] == iid)
        issue.setdefault("notes", []).append((await request.json())["body"])
        return {"id": next(state.ids)}

    return app


__all__ = ["TOKEN", "ForgeState", "create_app"]
