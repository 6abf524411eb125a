"""The pull-request comment for a plan, as tfcmt and Atlantis write it.

One comment per stack, found again by a hidden marker so the pipeline updates it in place. It holds:
the counts; one row per object with its action and the attributes that change (nested blocks by
path, secrets only as "(sensitive)" and their fingerprints as "fingerprint changes"); why a replace
happens; each webhook reply's encoding and segment count; Terraform's warnings; what changed outside
Terraform (drift found while refreshing); and the full plan in a collapsible block, cut so the
comment stays under GitHub's size limit. A plan that fails gets a comment with its errors instead.
No value marked sensitive is ever written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from smschannel.pipeline.diagnostics import Diagnostic

COMMENT_LIMIT = 65_536
"""GitHub refuses a comment body longer than this (in characters)."""
MARKER = "<!-- smschannel:{kind} stack={stack} -->"
VALUE_WIDTH = 60
MAX_ATTRIBUTES = 12
SYMBOLS = {"create": "🟢 create", "update": "🟡 update", "replace": "🔴 replace", "delete": "🔴 delete",
           "read": "🔵 read", "forget": "⚪ forget", "import": "🔵 import"}
REASONS = {
    "replace_because_tainted": "the object is tainted",
    "replace_because_cannot_update": "an attribute that cannot change in place changes",
    "replace_by_request": "requested with -replace",
    "delete_because_no_resource_config": "no longer in the code",
    "delete_because_count_index": "count no longer includes it",
    "delete_because_each_key": "for_each no longer includes it",
    "delete_because_no_module": "its module is gone",
    "delete_because_wrong_repetition": "count or for_each changed",
    "read_because_config_unknown": "its configuration is not known until apply",
    "read_because_dependency_pending": "it depends on a change",
}
SENSITIVE = "(sensitive)"
UNKNOWN = "(known after apply)"


def marker(stack: str, kind: str = "plan") -> str:
    return MARKER.format(kind=kind, stack=stack)


Path_ = tuple[str | int, ...]


def _path_text(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _flatten(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Leaves by path. A list of plain values is one leaf (keywords read better whole)."""
    if isinstance(value, dict) and value:
        for key in sorted(value):
            yield from _flatten(value[key], (*path, key))
    elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        for index, item in enumerate(value):
            yield from _flatten(item, (*path, index))
    else:
        yield path, value


def _marked(tree: Any, path: Path_) -> bool:
    """Whether `path` (or a parent of it) is marked true in a `*_sensitive` / `after_unknown` tree."""
    node = tree
    for part in path:
        if node is True:
            return True
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part, False)
        elif isinstance(node, list) and isinstance(part, int):
            node = node[part] if part < len(node) else False
        else:
            return False
    return _any_true(node)


def _any_true(node: Any) -> bool:
    if node is True:
        return True
    if isinstance(node, dict):
        return any(_any_true(v) for v in node.values())
    if isinstance(node, list):
        return any(_any_true(v) for v in node)
    return False


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > VALUE_WIDTH:
        text = text[:VALUE_WIDTH - 1] + "…"
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


@dataclass(frozen=True)
class AttributeChange:
    path: str
    before: str
    after: str
    forces_replace: bool = False

    def markdown(self) -> str:
        arrow = f"{self.before} → {self.after}" if self.before else self.after
        return f"`{self.path}`: {arrow}" + (" (forces replacement)" if self.forces_replace else "")


def attribute_changes(change: dict[str, Any], action: str) -> list[AttributeChange]:
    """What changes in one object, leaf by leaf; secrets never shown."""
    before = change.get("before") or {}
    after = change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    sensitive = [change.get("before_sensitive") or {}, change.get("after_sensitive") or {}]
    replace = {_path_text(tuple(p)) for p in change.get("replace_paths") or []}
    old = dict(_flatten(before)) if action != "create" else {}
    new = dict(_flatten(after)) if action != "delete" else {}
    if action != "delete":
        for path, _ in _flatten(unknown):
            if _marked(unknown, path):
                new.setdefault(path, None)
    found: list[AttributeChange] = []
    for path in sorted(set(old) | set(new), key=_path_text):
        text = _path_text(path)
        is_unknown = action != "delete" and _marked(unknown, path)
        if not path or (not is_unknown and old.get(path) == new.get(path)):
            continue
        if action == "create" and (is_unknown or new.get(path) is None):
            continue  # what smschannel computes on create says nothing to a reviewer
        if is_unknown and path[0] == "id":
            continue
        hidden = any(_marked(tree, path) for tree in sensitive)
        secretish = text.endswith("_fingerprint")
        if hidden:
            before_text = SENSITIVE if old.get(path) is not None else "`null`"
            after_text = SENSITIVE if new.get(path) is not None or is_unknown else "`null`"
        elif secretish:
            before_text = ""
            after_text = "fingerprint changes" if action in ("update", "replace") else (
                UNKNOWN if is_unknown else "set")
        else:
            before_text = _shown(old.get(path))
            after_text = UNKNOWN if is_unknown else _shown(new.get(path))
        if action == "delete":
            continue  # a deleted object's row says enough
        forces = any(text == r or text.startswith(r + ".") or text.startswith(r + "[") for r in replace)
        found.append(AttributeChange(text, before_text if action != "create" else "", after_text, forces))
    return found


@dataclass
class Row:
    address: str
    action: str
    changes: list[AttributeChange] = field(default_factory=list)
    reason: str = ""
    replies: dict[str, str] = field(default_factory=dict)

    def markdown(self) -> str:
        shown = [c.markdown() for c in self.changes[:MAX_ATTRIBUTES]]
        if len(self.changes) > MAX_ATTRIBUTES:
            shown.append(f"… and {len(self.changes) - MAX_ATTRIBUTES} more")
        if self.reason:
            shown.insert(0, f"_{self.reason}_")
        return f"| {SYMBOLS.get(self.action, self.action)} | `{self.address}` | {'<br>'.join(shown)} |"


def action_of(actions: Sequence[str]) -> str:
    if sorted(actions) == ["create", "delete"]:
        return "replace"
    return actions[0] if actions else "no-op"


def rows(shown: dict[str, Any]) -> list[Row]:
    found = []
    for change in shown.get("resource_changes", []):
        body = change["change"]
        action = action_of(body.get("actions", []))
        if action == "no-op" and body.get("importing"):
            action = "import"
        if action == "no-op":
            continue
        reason = REASONS.get(change.get("action_reason", ""), "")
        row = Row(change["address"], action, attribute_changes(body, action), reason)
        info = (body.get("after") or {}).get("reply_info") if action != "delete" else None
        if isinstance(info, dict) and not _marked(body.get("after_sensitive") or {}, ("reply_info",)):
            row.replies = {str(k): str(v) for k, v in sorted(info.items())}
        found.append(row)
    return found


def drift_rows(shown: dict[str, Any]) -> list[Row]:
    found = []
    for change in shown.get("resource_drift", []):
        body = change["change"]
        action = action_of(body.get("actions", []))
        if action == "no-op":
            continue
        found.append(Row(change["address"], "delete" if action == "delete" else "update",
                         attribute_changes(body, "update" if action != "delete" else "delete"),
                         "deleted outside of Terraform" if action == "delete" else ""))
    return found


def counts(found: list[Row]) -> dict[str, int]:
    tally = {"create": 0, "update": 0, "replace": 0, "delete": 0}
    for row in found:
        if row.action in tally:
            tally[row.action] += 1
    return tally


_TABLE_HEAD = ["| action | object | what changes |", "| --- | --- | --- |"]


def _details(title: str, body: str, fence: str = "") -> list[str]:
    ticks = "````"
    return ["<details><summary>" + title + "</summary>", "", f"{ticks}{fence}", body.rstrip("\n"), ticks, "",
            "</details>"]


def _cut(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    lines = text.splitlines()
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > room - 120:
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept) + f"\n\n… cut: {len(lines) - len(kept)} more lines (GitHub's comment limit); the job's " \
                             "log has the whole plan."


Table = tuple[list[str], list[str]]
"""A section: its heading lines (title, table header) and its rows, which may be cut."""


def _assemble(head: list[str], tables: list[Table], full: str | None, title: str) -> str:
    """Fit into the comment limit: the full plan is cut first, then every table to its first rows."""
    def render(keep: int | None, plan_text: str | None) -> str:
        parts = list(head)
        for heading, table_rows in tables:
            if not heading and not table_rows:
                continue
            shown = table_rows if keep is None else table_rows[:keep]
            parts += [*heading, *shown]
            if len(shown) < len(table_rows):
                parts.append(f"| | … {len(table_rows) - len(shown)} more rows | (GitHub's comment limit: see the "
                             "job's log) |")
        if plan_text is not None:
            parts += ["", *_details(title, plan_text)]
        return "\n".join(parts) + "\n"

    text = render(None, full)
    if len(text) <= COMMENT_LIMIT or (full is None and not tables):
        return text
    if full is not None:
        room = COMMENT_LIMIT - len(render(None, "")) - 16
        text = render(None, _cut(full, room) if room > 400 else CUT)
        if len(text) <= COMMENT_LIMIT:
            return text
    low, high = 0, max((len(r) for _, r in tables), default=0)
    while low < high:  # the most rows that fit
        middle = (low + high + 1) // 2
        if len(render(middle, CUT if full is not None else None)) <= COMMENT_LIMIT:
            low = middle
        else:
            high = middle - 1
    return render(low, CUT if full is not None else None)


CUT = "… cut: see the job's log."


def plan_comment(shown: dict[str, Any], *, stack: str, diagnostics: Sequence[Diagnostic] = (),
                 plan_text: str | None = None, title: str = "smschannel plan") -> str:
    """The Markdown comment for a successful plan (`terraform show -json` of it)."""
    found = rows(shown)
    tally = counts(found)
    head = [marker(stack), f"## {title}: `{stack}`", ""]
    if not found:
        head += ["**No changes.** The registry and the vendors match the code."]
    else:
        head += [f"**Plan: {tally['create']} to add, {tally['update']} to change, {tally['replace']} to replace, "
                 f"{tally['delete']} to destroy.**", ""]
    tables: list[Table] = [(_TABLE_HEAD if found else [], [r.markdown() for r in found])]
    replies = [(r.address, name, info) for r in found for name, info in r.replies.items()]
    if replies:
        tables.append((["", "#### Replies: encoding and segments", "", "| object | reply | encoding, segments |",
                        "| --- | --- | --- |"], [f"| `{a}` | `{n}` | {i} |" for a, n, i in replies]))
    warnings = [d for d in diagnostics if d.severity == "Warning"]
    if warnings:
        tables.append((["", f"#### ⚠️ Warnings ({len(warnings)})", ""], [f"- {d.markdown()}" for d in warnings]))
    drift = drift_rows(shown)
    if drift:
        tables.append((["", f"#### Changed outside of Terraform ({len(drift)})", "",
                        "Found while refreshing; the plan above takes these into account.", "", *_TABLE_HEAD],
                       [r.markdown() for r in drift]))
    return _assemble(head, tables, plan_text, "Full plan")


def drift_comment(shown: dict[str, Any], *, stack: str, plan_text: str | None = None) -> str:
    """The issue body for a scheduled drift check (a refresh-only plan)."""
    drift = drift_rows(shown)
    head = [marker(stack, "drift"), f"## smschannel drift: `{stack}`", ""]
    if not drift:
        head += ["**No drift.** The registry and the vendors match the state."]
        return _assemble(head, [], None, "")
    head += [f"**{len(drift)} object(s) changed outside of Terraform.** Apply the code to put them back, or "
             "change the code to keep them.", ""]
    return _assemble(head, [(_TABLE_HEAD, [r.markdown() for r in drift])], plan_text, "Full refresh-only plan")


def failure_comment(*, stack: str, errors: Sequence[Diagnostic], message: str = "", output: str = "",
                    title: str = "smschannel plan") -> str:
    """The comment for a plan that failed: its errors, and its output collapsed."""
    head = [marker(stack), f"## {title}: `{stack}` ❌ failed", "",
            "The plan failed; nothing can be applied from this commit.", ""]
    lines = [f"- {d.markdown()}" for d in errors if d.severity == "Error"]
    if message and not lines:
        lines = [f"- {message}"]
    head += ["#### Errors", ""]
    return _assemble(head, [([], lines or ["- (no error text: see the output below)"])], output or None, "Output")


__all__ = [
    "COMMENT_LIMIT",
    "AttributeChange",
    "Row",
    "attribute_changes",
    "drift_comment",
    "drift_rows",
    "failure_comment",
    "marker",
    "plan_comment",
    "rows",
]
