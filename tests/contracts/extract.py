"""Regenerate the contract subsets in this folder from the vendors' full OpenAPI files.

    python tests/contracts/extract.py /path/to/vendor-specs

Each subset keeps, verbatim, only the operations smschannel calls (the path item with just those
methods, plus its path-level `parameters` and `servers`) and the components they reference,
followed transitively. Nothing else is edited: the test harness (tests/vendors/contract.py) applies
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
        ],
    },
    "twilio_messaging_v1.subset.json": {
        "file": "twilio_messaging_v1.json",
        "source": {**TWILIO_SOURCE, "path": "spec/json/twilio_messaging_v1.json"},
        "operations": ["FetchService", "UpdateService", "ListPhoneNumber"],
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
        "operations": ["ListBatches", "SendSMS"],
    },
}

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return data


def refs(node: Any) -> Iterator[str]:
    """Every local `$ref` target below `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
                yield value
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vendor_specs", type=Path, help="the folder holding the vendors' full OpenAPI files")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the subsets (default: here)")
    args = parser.parse_args(argv)
    for name, entry in SOURCES.items():
        spec = load(args.vendor_specs / entry["file"])
        result = subset(spec, entry["operations"], entry["source"])
        target = args.out / name
        target.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {target} ({len(result['paths'])} paths, {target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
