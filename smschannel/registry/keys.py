"""Rotating the registry's master key without stopping it (see `crypto.py` for the key file).

1. `rotate`: a new key goes first in the key file (every registry reads the file again when it changes,
   and when a secret does not open), then every stored secret is sealed again with it. The old key stays,
   so a registry that has not read the new file yet still opens everything.
2. Copy the key file to every registry server.
3. `retire`: every secret is sealed with the newest key once more (catching any a registry sealed with
   the old key meanwhile), then the older keys leave the file.

Fingerprints do not change: the key file pins the fingerprint key.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from smschannel.errors import SmschannelError
from smschannel.registry import audit, storage
from smschannel.registry.crypto import SecretBox, add_key, keep_newest, read_ring


def reseal(db: storage.Database, box: SecretBox) -> int:
    """Seal every stored secret with the box's newest key; how many objects hold secrets."""
    count = 0
    with db.session() as session:
        for row in session.scalars(select(storage.ObjectRow).where(storage.ObjectRow.sealed.is_not(None))):
            assert row.sealed is not None
            row.sealed = box.rotate(row.sealed)
            count += 1
    return count


def _box(key_file: Path) -> SecretBox:
    if not key_file.exists():
        raise SmschannelError(f"no key file at {key_file}: give the registry's --key-file")
    return SecretBox(read_ring(key_file), path=key_file)


def rotate(db: storage.Database, key_file: Path, *, author: audit.Author) -> int:
    before = len(_box(key_file).ring.keys)
    add_key(key_file)
    count = reseal(db, _box(key_file))
    with db.session() as session:
        audit.record(session, author, sandbox="*", action="rotate", object_type="master_key", object_id=str(key_file),
                     before={"keys": before}, after={"keys": before + 1, "secrets_resealed": count})
    return count


def retire(db: storage.Database, key_file: Path, *, author: audit.Author) -> tuple[int, int]:
    box = _box(key_file)
    count = reseal(db, box)
    dropped = len(box.ring.keys) - 1
    keep_newest(key_file)
    with db.session() as session:
        audit.record(session, author, sandbox="*", action="retire", object_type="master_key", object_id=str(key_file),
                     before={"keys": dropped + 1}, after={"keys": 1, "secrets_resealed": count})
    return count, dropped


__all__ = ["reseal", "retire", "rotate"]
