"""`smschannel_subdomain` through real Terraform: DNS-driven status, the production-sandbox permission
checked at plan, one FQDN per subdomain, and configurations that shorten links with it."""

from __future__ import annotations

from typing import Any

import pytest

from smschannel.local import DELEGATED_DOMAIN, LocalStack
from smschannel.registry import storage
from tests.support import Workspace
from tests.terraform.stacks import configuration, twilio


def delegated(prefix: str) -> dict[str, Any]:
    return {"mode": "delegated", "prefix": prefix, "parent_domain": DELEGATED_DOMAIN}


def token(stack: LocalStack, grants: dict[str, list[str]]) -> str:
    assert stack.services is not None
    with stack.services.db.session() as session:
        return storage.create_token(session, "subdomains", grants)


def test_delegated_subdomain_and_a_configuration_that_uses_it(workspace: Workspace, facts: dict[str, Any],
                                                             sandbox: str) -> None:
    workspace.write_json({
        "smschannel_subdomain": {"go": delegated(f"go-{sandbox}")},
        "smschannel_twilio_credentials": {"main": twilio(facts)},
        "smschannel_configuration": {"main": configuration(subdomain_id="${smschannel_subdomain.go.id}")},
    })
    planned = workspace.plan()
    assert f'+ fqdn = "go-{sandbox}.{DELEGATED_DOMAIN}"' in planned.flat  # known at plan time
    workspace.apply()
    state = workspace.state()
    sub = state["smschannel_subdomain.go"]
    assert (sub["status"], sub["status_reason"]) == ("success", "")
    assert sub["cname_name"] == sub["fqdn"] and sub["cname_value"].endswith(".cname.smschannel.test")
    assert state["smschannel_configuration.main"]["status"] == "active"
    assert workspace.plan().code == 0

    # Another subdomain for the configuration replaces it (subdomain_id forces replacement).
    workspace.write_json({
        "smschannel_subdomain": {"go": delegated(f"go-{sandbox}"), "two": delegated(f"two-{sandbox}")},
        "smschannel_twilio_credentials": {"main": twilio(facts)},
        "smschannel_configuration": {"main": configuration(subdomain_id="${smschannel_subdomain.two.id}")},
    })
    planned = workspace.plan()
    assert "smschannel_configuration.main must be replaced" in planned.output
    workspace.apply()
    workspace.destroy()


def test_custom_domain_waits_for_its_cname(workspace: Workspace, local_stack: LocalStack, sandbox: str) -> None:
    domain = f"sms.{sandbox}.example.com"
    workspace.write_json({"smschannel_subdomain": {"own": {"mode": "custom", "domain": domain}}})
    applied = workspace.apply()
    sub = workspace.state()["smschannel_subdomain.own"]
    assert sub["status"] == "processing"
    expected = f"no CNAME record for {domain} yet: publish {domain} CNAME {sub['cname_value']}"
    assert sub["status_reason"] == expected
    assert "Warning: SMS subdomain is processing" in applied.output and expected in applied.flat

    local_stack.publish_cname(domain, sub["cname_value"])  # what the person does at their DNS host
    assert workspace.plan().code == 0  # a status change is not a change to apply
    assert workspace.run("apply", "-refresh-only", "-auto-approve", "-input=false").code == 0
    assert workspace.state()["smschannel_subdomain.own"]["status"] == "success"

    local_stack.publish_cname(domain, "somewhere.else.example.net")  # someone breaks it later
    assert workspace.run("apply", "-refresh-only", "-auto-approve", "-input=false").code == 0
    broken = workspace.state()["smschannel_subdomain.own"]
    assert broken["status"] == "failed"
    expected = f"{domain} is a CNAME for somewhere.else.example.net, expected {sub['cname_value']}"
    assert broken["status_reason"] == expected
    workspace.destroy()


def test_writing_needs_the_scope_on_the_production_sandbox(workspace: Workspace, local_stack: LocalStack,
                                                          sandbox: str) -> None:
    everything_but_prod = token(local_stack, {sandbox: ["sms_subdomains.read", "sms_subdomains.write",
                                                       "sms_subdomains.delete"]})
    workspace.write_json({"smschannel_subdomain": {"go": delegated(f"p-{sandbox}")}})
    result = workspace.plan(env={"SMSCHANNEL_TOKEN": everything_but_prod})
    assert result.code == 1
    assert "Error: Missing permission sms_subdomains.write" in result.flat
    assert (f'smschannel_subdomain "p-{sandbox}.{DELEGATED_DOMAIN}": the token lacks the scope sms_subdomains.write '
            "on sandbox prod (this scope counts only when granted on the production sandbox), so this change cannot be "
            "applied with it") in result.flat

    workspace.apply()  # with the admin token
    writer = token(local_stack, {"prod": ["sms_subdomains.read", "sms_subdomains.write"]})
    result = workspace.run("plan", "-destroy", "-input=false", env={"SMSCHANNEL_TOKEN": writer})
    assert result.code == 1
    assert "Error: Missing permission sms_subdomains.delete" in result.flat
    workspace.destroy()


def test_one_fqdn_backs_one_subdomain(workspace: Workspace, sandbox: str) -> None:
    workspace.write_json({"smschannel_subdomain": {"a": delegated(f"dup-{sandbox}")}})
    workspace.apply()
    workspace.write_json({"smschannel_subdomain": {"a": delegated(f"dup-{sandbox}"),
                                                   "b": delegated(f"dup-{sandbox}")}})
    result = workspace.run("apply", "-input=false", "-auto-approve")
    assert result.code == 1
    assert f"dup-{sandbox}.{DELEGATED_DOMAIN} already backs SMS subdomain" in result.flat
    assert "one FQDN can back only one" in result.flat


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ({"mode": "delegated", "prefix": "cdn", "parent_domain": DELEGATED_DOMAIN},
         'prefix cannot be cdn: cdn, data, dmarc and spf are reserved, got "cdn"'),
        ({"mode": "custom", "domain": "SMS.Example.com"},
         'domain must be lower-case, got "SMS.Example.com" (use "sms.example.com")'),
        ({"mode": "custom", "domain": "a.example.com", "prefix": "go"},
         'prefix is for mode = "delegated"; a custom subdomain gives its whole domain'),
        ({"mode": "delegated", "prefix": "go"}, 'parent_domain is required when mode = "delegated"'),
    ],
    ids=["reserved-prefix", "capitals", "prefix-on-custom", "no-parent"],
)
def test_invalid_subdomains(workspace: Workspace, body: dict[str, Any], line: str) -> None:
    workspace.write_json({"smschannel_subdomain": {"s": body}})
    result = workspace.plan()
    assert result.code == 1
    assert line in result.flat


def test_parent_domain_must_be_delegated(workspace: Workspace) -> None:
    workspace.write_json({"smschannel_subdomain": {"s": {"mode": "delegated", "prefix": "go",
                                                         "parent_domain": "example.org"}}})
    result = workspace.run("apply", "-input=false", "-auto-approve")
    assert result.code == 1
    assert (f"parent_domain: example.org is not delegated to smschannel (delegated: {DELEGATED_DOMAIN})"
            in result.flat)
