"""Regenerate the contract subsets in this folder from the vendors' full OpenAPI files.

    python tests/contracts/extract.py /path/to/vendor-specs

Each subset keeps, verbatim, only the operations smschannel calls (the path item with just those
methods, plus its path-level `parameters` and `servers`) and the components they reference,
followed transitively (a discriminator's `mapping` targets count as references: they are the
subtypes a polymorphic schema stands for). A webhook subset keeps the named entries of the file's
`webhooks` (OpenAPI 3.1) or `x-webhooks` (an extension some 3.0 files use) and their components,
with no paths. Nothing else is edited: the test harness (tests/vendors/contract.py) applies
its documented tightening at load time, so these files stay faithful copies. The provenance of
each source is written under `info.x-smschannel-source`. Tests never run this script; they read
the subsets it wrote.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent

TWILIO_SOURCE = {
    "repository": "twilio/twilio-oai",
    "commit": "d50069b44ea8cd23141385bdb6db48f16ff75bb5",
    "licence": "MIT (repository LICENSE, Copyright 2023 Twilio, Inc.); the spec's info.license: Apache 2.0",
}

SOURCES: dict[str, dict[str, Any]] = {
    "twilio_api_v2010.subset.json": {
        "file": "twilio_api_v2010.json",
        "source": {**TWILIO_SOURCE, "path": "spec/json/twilio_api_v2010.json"},
        "operations": [
            "FetchAccount",
            "ListIncomingPhoneNumber",
            "FetchIncomingPhoneNumber",
            "UpdateIncomingPhoneNumber",
            "CreateMessage",
            # Called by the official `twilio` SDK in the emulator fidelity tests, not by smschannel's client.
            "ListMessage",
            "FetchMessage",
        ],
    },
    "twilio_messaging_v1.subset.json": {
        "file": "twilio_messaging_v1.json",
        "source": {**TWILIO_SOURCE, "path": "spec/json/twilio_messaging_v1.json"},
        "operations": ["FetchService", "UpdateService", "ListPhoneNumber", "ListService"],
    },
    "sinch_sms.subset.json": {
        "file": "sinch_openapi.yaml",
        "source": {
            "repository": "ballerina-platform/openapi-connectors",
            "path": "openapi/sinch.sms/openapi.yaml",
            "commit": "81158a45a86fa9a85de4e7fbd7cdc2a529d50743",
            "file_last_changed_in": "c279d399f59a85bea742e887ada7f09d1f407aca (2021-12-08)",
            "licence": "Apache License 2.0 (repository LICENSE); the spec's info.license says MIT",
            "note": (
                "A 2021 copy republished by WSO2, edited for connector generation; it lists only "
                "the US server and is not the current Sinch contract."
            ),
        },
        "operations": ["ListBatches", "SendSMS", "GetBatchMessage"],  # the last: the `sinch` SDK's tests
    },
}

INFOBIP_SOURCE = {
    "repository": "api-evangelist/infobip",
    "commit": "b3be77826a8f1d17ead20f2edb64a03ef343f929 (snapshot, 2026-08-07)",
    "file_added_in": "47a20ef4b1e0999c5d166efc189f40a9a05c1a2a (2026-07-25), unchanged since",
    "licence": "none stated: the repository has no LICENSE file and the spec has no info.license",
    "note": (
        "Third-party aggregator; its README says the documents were harvested verbatim from Infobip's "
        "unauthenticated endpoint GET https://api.infobip.com/platform/1/openapi/{product}. "
        "No servers entry: the base URL is per account."
    ),
}

SOURCES.update(
    {
        "infobip_account.subset.json": {
            "file": "infobip_infobip-account-management-openapi.json",
            "source": {**INFOBIP_SOURCE, "path": "openapi/infobip-account-management-openapi.json"},
            "operations": ["get-account-balance"],
        },
        "infobip_numbers.subset.json": {
            "file": "infobip_infobip-numbers-openapi.json",
            "source": {**INFOBIP_SOURCE, "path": "openapi/infobip-numbers-openapi.json"},
            "operations": ["list-owned-numbers"],
        },
        "infobip_resources.subset.json": {
            "file": "infobip_infobip-resources-openapi.json",
            "source": {**INFOBIP_SOURCE, "path": "openapi/infobip-resources-openapi.json"},
            "operations": [
                "get-inbound-configurations",
                "manage-inbound-configuration",
                "delete-inbound-configuration",
            ],
        },
        "infobip_sms.subset.json": {
            "file": "infobip_infobip-sms-openapi.json",
            "source": {**INFOBIP_SOURCE, "path": "openapi/infobip-sms-openapi.json"},
            "operations": ["send-sms-messages", "get-outbound-sms-message-logs-v3"],
        },
        # sinch_conversation.handwritten.json is not extracted: no vendor file exists (README.md).
        # Inbound payloads the vendors POST to the registry: for inbound parsers, not for clients.
        "infobip_sms_webhooks.subset.json": {
            "file": "infobip_infobip-sms-openapi.json",
            "source": {**INFOBIP_SOURCE, "path": "openapi/infobip-sms-openapi.json"},
            "webhooks": ["receive-inbound-sms-messages"],
        },
        "sinch_sms_webhooks.subset.json": {
            "file": "sinch_openapi.yaml",
            "source": SOURCES["sinch_sms.subset.json"]["source"],
            "webhooks": ["incomingSMS"],
        },
    }
)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return data


def refs(node: Any) -> Iterator[str]:
    """Every local `$ref` target below `node`, and every target of a discriminator's `mapping`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
                yield value
            elif key == "discriminator" and isinstance(value, dict):
                mapping = value.get("mapping") or {}
                yield from (t for t in mapping.values() if isinstance(t, str) and t.startswith("#/"))
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def pick_paths(spec: dict[str, Any], operation_ids: list[str]) -> dict[str, Any]:
    wanted = set(operation_ids)
    paths: dict[str, Any] = {}
    for path, item in spec["paths"].items():
        methods = [
            m for m in METHODS if isinstance(item.get(m), dict) and item[m].get("operationId") in wanted
        ]
        if not methods:
            continue
        kept = {k: v for k, v in item.items() if k not in METHODS or k in methods}
        paths[path] = kept
        wanted -= {item[m]["operationId"] for m in methods}
    if wanted:
        raise SystemExit(f"operations not found: {sorted(wanted)}")
    return paths


def pick_components(spec: dict[str, Any], roots: Any) -> dict[str, Any]:
    components: dict[str, dict[str, Any]] = {}
    pending = list(refs(roots))
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, section, kind, name = ref.split("/", 3)
        if section != "components":
            raise SystemExit(f"unsupported $ref {ref}")
        target = spec["components"][kind][name]
        components.setdefault(kind, {})[name] = target
        pending.extend(refs(target))
    schemes = spec["components"].get("securitySchemes", {})
    used = {name for requirement in _security(spec, roots) for name in requirement}
    if used:
        components["securitySchemes"] = {name: schemes[name] for name in sorted(used)}
    return {kind: dict(sorted(items.items())) for kind, items in sorted(components.items())}


def _security(spec: dict[str, Any], paths: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from spec.get("security", [])
    for item in paths.values():
        for method in METHODS:
            if method in item:
                yield from item[method].get("security", [])


def subset(spec: dict[str, Any], operation_ids: list[str], source: dict[str, Any]) -> dict[str, Any]:
    paths = pick_paths(spec, operation_ids)
    out: dict[str, Any] = {
        "openapi": spec["openapi"],
        "info": {**spec["info"], "x-smschannel-source": {**source, "operations": operation_ids}},
    }
    for key in ("servers", "security"):
        if key in spec:
            out[key] = spec[key]
    out["paths"] = paths
    out["components"] = pick_components(spec, paths)
    return out


def webhook_subset(spec: dict[str, Any], names: list[str], source: dict[str, Any]) -> dict[str, Any]:
    """The named webhooks (`webhooks` in OpenAPI 3.1, else `x-webhooks`) with their components."""
    key = "webhooks" if "webhooks" in spec else "x-webhooks"
    available = spec.get(key, {})
    missing = sorted(set(names) - set(available))
    if missing:
        raise SystemExit(f"webhooks not found: {missing}")
    hooks = {name: available[name] for name in names}
    out: dict[str, Any] = {
        "openapi": spec["openapi"],
        "info": {**spec["info"], "x-smschannel-source": {**source, key: names}},
        "paths": {},
        key: hooks,
    }
    out["components"] = pick_components(spec, hooks)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vendor_specs", type=Path, help="the folder holding the vendors' full OpenAPI files")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the subsets (default: here)")
    args = parser.parse_args(argv)
    for name, entry in SOURCES.items():
        spec = load(args.vendor_specs / entry["file"])
        if "webhooks" in entry:
            result = webhook_subset(spec, entry["webhooks"], entry["source"])
            what = f"{len(entry['webhooks'])} webhooks"
        else:
            result = subset(spec, entry["operations"], entry["source"])
            what = f"{len(result['paths'])} paths"
        target = args.out / name
        target.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {target} ({what}, {target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
