"""The pull-request comment, on golden files: each made from a real plan (`plans/`, recorded by
`record_plans.py` with real Terraform and the provider), compared whole. `UPDATE_GOLDEN=1` rewrites
them; read the diff before committing."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from smschannel.pipeline import drift_comment, failure_comment, marker, parse, plan_comment
from smschannel.pipeline.summary import COMMENT_LIMIT, attribute_changes

HERE = Path(__file__).resolve().parent
PLANS = HERE / "plans"
GOLDEN = HERE / "golden"
CASES = ["create", "no_changes", "update_keywords_replace_config", "secret_given_literally", "delete_and_warnings",
         "drift"]
SECRET_IN_STATE = "literal-secret-value-0123456789"


def load(case: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PLANS / f"{case}.json").read_text())
    return loaded


def comment(case: str) -> str:
    output = (PLANS / f"{case}.out.txt").read_text()
    return plan_comment(load(case), stack="channels", diagnostics=parse(output),
                        plan_text=(PLANS / f"{case}.plan.txt").read_text())


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"{name}: the comment changed (UPDATE_GOLDEN=1 rewrites {path.name})"


@pytest.mark.parametrize("case", CASES)
def test_plan_comment_matches_its_golden_file(case: str) -> None:
    text = comment(case)
    check_golden(case, text)
    assert text.startswith(marker("channels") + "\n")
    assert len(text) <= COMMENT_LIMIT


def test_drift_issue_and_failure_comment_match_their_golden_files() -> None:
    check_golden("drift_issue", drift_comment(load("drift"), stack="channels",
                                              plan_text=(PLANS / "drift.plan.txt").read_text()))
    output = (PLANS / "failure.out.txt").read_text()
    check_golden("failure", failure_comment(stack="channels", errors=parse(output), output=output))
    synth = failure_comment(stack="channels", errors=[], message="synth failed: python3 main.py exited with 1")
    assert "- synth failed: python3 main.py exited with 1" in synth


def test_the_change_a_reviewer_asked_for_is_all_there() -> None:
    text = comment("update_keywords_replace_config")
    assert '`opt_out.keywords`: `["STOP", "QUIT"]` → `["STOP", "QUIT", "ARRET"]`' in text
    assert '`help.reply`: `"Acme: help at acme.example. Reply STOP to end."` → ' in text
    assert "| 🔴 replace | `smschannel_configuration.marketing` | _an attribute that cannot change in place " \
           "changes_<br>`name`: `\"marketing-us\"` → `\"marketing-us-2\"` (forces replacement)" in text
    assert "| `smschannel_webhook.inbound` | `help` | UCS-2, 1 segment |" in text
    assert "<details><summary>Full plan</summary>" in text


def test_nested_blocks_are_listed_even_when_their_keywords_are_marked_not_sensitive() -> None:
    """Terraform marks a block's list as `{"keywords": [false, false]}`: that is not sensitive."""
    change = {"actions": ["update"], "before": {"help": {"keywords": ["HELP"], "reply": "a"}, "opt_out": None},
              "after": {"help": {"keywords": ["HELP", "INFO"], "reply": "b"}, "opt_out": {"keywords": ["STOP"]}},
              "after_sensitive": {"help": {"keywords": [False, False]}, "opt_out": {"keywords": [False]}},
              "before_sensitive": {"help": {"keywords": [False]}}, "after_unknown": {}}
    shown = [c.markdown() for c in attribute_changes(change, "update")]
    assert shown == ['`help.keywords`: `["HELP"]` → `["HELP", "INFO"]`', '`help.reply`: `"a"` → `"b"`',
                     '`opt_out.keywords`: `null` → `["STOP"]`']


def test_no_secret_is_ever_written() -> None:
    plan = load("secret_given_literally")
    text = comment("secret_given_literally")
    assert "`auth_token`: `null` → (sensitive)" in text
    # A sensitive value, even one Terraform would put in the JSON, never reaches the comment.
    planted = copy.deepcopy(plan)
    for change in planted["resource_changes"]:
        after = change["change"].get("after") or {}
        if "auth_token" in after:
            after["auth_token"] = SECRET_IN_STATE
            change["change"].setdefault("before", {})["auth_token"] = SECRET_IN_STATE + "-old"
            change["change"]["before_sensitive"] = {"auth_token": True}
            nested = {"keywords": ["A"], "reply": SECRET_IN_STATE}
            after["help"] = nested
            change["change"]["after_sensitive"]["help"] = {"reply": True}
    rendered = plan_comment(planted, stack="channels")
    assert SECRET_IN_STATE not in rendered and "(sensitive)" in rendered
    for case in CASES:
        assert not re.search(r"hmac-sha256:[0-9a-f]{8}", comment(case).split("<details>")[0]), case


def test_a_huge_plan_is_cut_to_githubs_limit() -> None:
    plan = load("create")
    template = plan["resource_changes"]
    many = []
    for i in range(900):
        for change in template:
            clone = copy.deepcopy(change)
            clone["address"] = f"{change['address']}_{i}"
            many.append(clone)
    plan["resource_changes"] = many
    text = plan_comment(plan, stack="channels", plan_text="  + resource ...\n" * 20000)
    assert len(text) <= COMMENT_LIMIT
    assert "**Plan: 2700 to add, 0 to change, 0 to replace, 0 to destroy.**" in text
    assert "more rows" in text and "cut" in text
    small = plan_comment(load("create"), stack="channels", plan_text="line\n" * 20000)
    assert len(small) <= COMMENT_LIMIT and "more lines (GitHub's comment limit)" in small
