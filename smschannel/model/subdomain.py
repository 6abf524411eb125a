"""`smschannel_subdomain`: an SMS subdomain used to shorten links, shared by every sandbox."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator

from smschannel.model.base import Derived, ResourceModel, Rule
from smschannel.model.fields import attr
from smschannel.model.types import ObjectId, _require_str, _shown

RESERVED_PREFIXES = ("cdn", "data", "dmarc", "spf")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def prefix(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", value):
        raise ValueError(f"must be letters, digits and hyphens (not at either end, at most 63), got {_shown(value)}")
    if value.lower() in RESERVED_PREFIXES:
        raise ValueError(f"cannot be {value}: cdn, data, dmarc and spf are reserved, got {_shown(value)}")
    return value


def domain(value: str) -> str:
    if value != value.lower():
        raise ValueError(f"must be lower-case, got {_shown(value)} (use {_shown(value.lower())})")
    labels = value.rstrip(".").split(".")
    if len(labels) < 2 or len(value) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"must be a domain name such as links.example.com, got {_shown(value)}")
    return value.rstrip(".")


Prefix = Annotated[str, BeforeValidator(_require_str), AfterValidator(prefix)]
Domain = Annotated[str, BeforeValidator(_require_str), AfterValidator(domain)]


def _mode_fits(values: Mapping[str, Any]) -> str | None:
    mode = values.get("mode")
    given = {k for k in ("prefix", "parent_domain", "domain") if values.get(k) is not None}
    if mode == "delegated":
        if "domain" in given:
            return 'domain is for mode = "custom"; a delegated subdomain is prefix + parent_domain'
        missing = [k for k in ("prefix", "parent_domain") if k not in given]
        if missing:
            return f'{missing[0]} is required when mode = "delegated"'
    if mode == "custom":
        extra = sorted(given - {"domain"})
        if extra:
            return f'{extra[0]} is for mode = "delegated"; a custom subdomain gives its whole domain'
        if "domain" not in given:
            return 'domain is required when mode = "custom"'
    return None


def fqdn(values: Mapping[str, Any]) -> str | None:
    if values.get("mode") == "custom":
        return values.get("domain")
    if values.get("prefix") and values.get("parent_domain"):
        return f"{str(values['prefix']).lower()}.{values['parent_domain']}"
    return None


class SubdomainModel(ResourceModel):
    """An SMS subdomain that shortens links in messages. It is shared by every sandbox: a change
    affects every production sandbox, so writing it needs `sms_subdomains.write` (deleting,
    `sms_subdomains.delete`) granted on the production sandbox. `status` comes from a DNS lookup of
    the CNAME record in `cname_name` / `cname_value`."""

    type_name: ClassVar[str] = "smschannel_subdomain"
    title: ClassVar[str] = "SMS subdomain"
    scope: ClassVar[str] = "sms_subdomains"
    shared: ClassVar[bool] = True
    id_prefix: ClassVar[str] = "sub"
    rules: ClassVar[tuple[Rule, ...]] = (Rule(("mode", "prefix", "parent_domain", "domain"), _mode_fits),)
    derived: ClassVar[dict[str, Derived]] = {"fqdn": Derived(("mode", "prefix", "parent_domain", "domain"), fqdn)}

    id: ObjectId | None = attr("The registry's ID of the subdomain. It is also the import ID.", computed=True)
    mode: Literal["delegated", "custom"] = attr(
        "`delegated`: a `prefix` under a `parent_domain` already delegated to smschannel, which publishes "
        "the record itself; `custom`: your own `domain`, whose CNAME record you publish.",
        replace=True, example="delegated")
    prefix: Prefix | None = attr(
        "Delegated mode: the label in front of `parent_domain` (letters, digits and hyphens; not `cdn`, "
        "`data`, `dmarc` or `spf`).",
        default=None, replace=True, example="go")
    parent_domain: Domain | None = attr(
        "Delegated mode: a domain already delegated to smschannel.",
        default=None, replace=True, example="links.smschannel.test")
    domain: Domain | None = attr(
        "Custom mode: the whole domain, lower-case, possibly several levels deep.",
        default=None, replace=True)
    fqdn: str | None = attr("The subdomain's full name: `prefix.parent_domain`, or `domain`.", computed=True)
    cname_name: str | None = attr("The name of the CNAME record to publish (the subdomain itself).",
                                  computed=True)
    cname_value: str | None = attr("The target the CNAME record must point to.", computed=True)
    status: Literal["processing", "success", "failed"] | None = attr(
        "`processing` until the CNAME record is seen in DNS, then `success`; `failed` when it points "
        "elsewhere.", computed=True, volatile=True)
    status_reason: str | None = attr("What is missing or wrong in DNS, in words a person can act on; empty on "
                                     "success.", computed=True, volatile=True)


__all__ = ["RESERVED_PREFIXES", "SubdomainModel"]
