"""Saving a file that staff edit, so that nothing already written is lost: the new text goes to a
temporary file beside the real one and is renamed over it (a crash leaves the old file or the new
one, never half of either). Saving through a symlink replaces the file it points to and keeps the
link; the file keeps its permission bits."""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_text_atomically(path: Path, text: str) -> None:
    target = path.resolve()  # through a symlink: the file it points to, so the link stays a link
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)  # mkstemp creates 0600; the file keeps what it had
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
