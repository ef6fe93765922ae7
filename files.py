"""Two file primitives every layer needs: an atomic write and a streamed SHA-256.

Atomic: a temporary file in the same folder, flushed to disk, then renamed over the
target, so a reader (or a crash) never sees half a file and the last good copy stays
until the new one is complete.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_atomic(path: str | Path, write: Callable[[IO], object], mode: str = "wb",
                 shared: bool = False) -> Path:
    """Call `write(fh)` on a temporary file beside `path`, then rename it to `path`.
    `shared`: readable by other users (files beside a model that several homes share)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if shared:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks (index files can be hundreds of MB)."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
