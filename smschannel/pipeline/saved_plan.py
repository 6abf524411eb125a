"""A saved plan (`smschannel plan --out FILE`) and the two checks before it is applied on merge.

A Terraform plan file is a zip: `tfplan` (the changes), `tfstate` (the state it was planned against),
`tfconfig/m-/...` (the root module's files as they were) and the lock file. The pipeline applies the
reviewed plan only while

- the stack's configuration, synthesized from the merged code, is the one the plan holds (else the
  merge brought in something nobody reviewed in that plan, e.g. another pull request), and
- the state is the one it was planned against (same lineage and serial; else another apply ran).

Either failure is `StalePlan` and nothing is applied: plan again and have the new plan reviewed.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smschannel.errors import SmschannelError, StalePlan

ROOT_MODULE = "tfconfig/m-/"
CONFIG_SUFFIXES = (".tf", ".tf.json")
HOW_TO_GO_ON = "plan again (smschannel plan --out FILE) and have that plan reviewed before it is applied"


@dataclass(frozen=True)
class SavedPlan:
    path: Path
    config: dict[str, str]
    """The root module's files as planned, by file name."""
    lineage: str
    serial: int

    @classmethod
    def open(cls, path: Path) -> SavedPlan:
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                config = {name.removeprefix(ROOT_MODULE): archive.read(name).decode()
                          for name in names if name.startswith(ROOT_MODULE) and name.endswith(CONFIG_SUFFIXES)}
                prior = json.loads(archive.read("tfstate")) if "tfstate" in names else {}
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise SmschannelError(f"{path} is not a plan saved by smschannel plan --out ({exc})") from None
        return cls(path, config, str(prior.get("lineage") or ""), int(prior.get("serial") or 0))

    def check_configuration(self, workdir: Path) -> None:
        """Refuse when the stack's files differ from the ones the plan was made from."""
        current = {p.name: p.read_text() for p in sorted(workdir.iterdir())
                   if p.is_file() and p.name.endswith(CONFIG_SUFFIXES)}
        if current == self.config:
            return
        changed = changed_addresses(self.config, current)
        what = f" ({', '.join(changed[:6])}{', ...' if len(changed) > 6 else ''})" if changed else ""
        raise StalePlan(f"the saved plan {self.path.name} is stale: the code differs from what was planned{what}; "
                        + HOW_TO_GO_ON)

    def check_state(self, state: dict[str, Any] | None) -> None:
        """Refuse when the state moved since the plan was made (another apply ran in between)."""
        lineage = str((state or {}).get("lineage") or "")
        serial = int((state or {}).get("serial") or 0)
        if (lineage, serial) == (self.lineage, self.serial):
            return
        raise StalePlan(f"the saved plan {self.path.name} is stale: the state changed since it was made (serial "
                        f"{self.serial}, now {serial}{'' if lineage == self.lineage else ', another lineage'}); "
                        + HOW_TO_GO_ON)


def _blocks(files: dict[str, str]) -> dict[str, Any]:
    """Every top-level block of the JSON files, by address (`resource.smschannel_webhook.inbound`)."""
    found: dict[str, Any] = {}
    for name, text in files.items():
        if not name.endswith(".tf.json"):
            found[f"file {name}"] = text
            continue
        try:
            document = json.loads(text)
        except ValueError:
            found[f"file {name}"] = text
            continue
        for kind, body in document.items():
            if kind in ("resource", "data") and isinstance(body, dict):
                for type_name, named in body.items():
                    for label, block in (named or {}).items():
                        prefix = "data." if kind == "data" else ""
                        found[f"{prefix}{type_name}.{label}"] = block
            else:
                found[kind] = body
    return found


def changed_addresses(before: dict[str, str], after: dict[str, str]) -> list[str]:
    old, new = _blocks(before), _blocks(after)
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


__all__ = ["HOW_TO_GO_ON", "SavedPlan", "changed_addresses"]
