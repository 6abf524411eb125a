"""The pull-request pipeline: the plan comment, saved plans checked before they are applied, and the
calls to GitHub or GitLab that carry them."""

from __future__ import annotations

from smschannel.pipeline.diagnostics import Diagnostic, parse
from smschannel.pipeline.forge import Forge, GitHub, GitLab, forge_from_env, request_number
from smschannel.pipeline.saved_plan import SavedPlan, changed_addresses
from smschannel.pipeline.summary import drift_comment, failure_comment, marker, plan_comment

__all__ = [
    "Diagnostic",
    "Forge",
    "GitHub",
    "GitLab",
    "SavedPlan",
    "changed_addresses",
    "drift_comment",
    "failure_comment",
    "forge_from_env",
    "marker",
    "parse",
    "plan_comment",
    "request_number",
]
