"""Writing the policy file from the workbench without losing anyone's text.

The file on disk may be edited by a colleague's editor while the workbench compiles the staffer's
version (~35 ms), so the version the page started from is checked twice: before compiling (a quick
refusal) and again right before the rename, under a lock, after the new text is already on disk in a
temporary file, so that only the rename itself follows the last check. A symlinked policy is written
through its link (the link stays a link) and the file keeps its permission bits.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import threading
from pathlib import Path

from .. import messages
from ..errors import ToolError, relative_name


class StaleVersion(Exception):
    """The file changed (or vanished) since the page loaded it; nothing was written."""


class WriteFailed(ToolError):
    """The disk refused the write (permissions, space); the file is as it was."""

    code = "E500"


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def current_version(path: Path) -> str | None:
    """The version of the file's text, None when it is gone. Read as the loader reads (a BOM is not
    part of the text), so the page's version compares equal."""
    try:
        return version_of(path.read_bytes().decode("utf-8-sig", errors="replace"))
    except FileNotFoundError:
        return None


class PolicyWriter:
    """Atomic, version-checked writes of one policy file; one write at a time."""

    def __init__(self, path: Path, changed_elsewhere: str = messages.POLICY_CHANGED_ELSEWHERE) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.changed_elsewhere = changed_elsewhere  # what the page is told on a stale version (a feature file says so)

    def check_version(self, expected: str) -> None:
        try:
            current = current_version(self.path)
        except OSError as error:
            raise WriteFailed(messages.POLICY_CANNOT_BE_READ.format(file=relative_name(self.path), problem=error.strerror or error)) from None
        if current != expected:
            raise StaleVersion(self.changed_elsewhere)

    def write(self, text: str, expected: str) -> None:
        """Replace the file's text with `text` if it still has version `expected`, else StaleVersion;
        WriteFailed when the disk refuses. Either way the file is whole: the old text or the new."""
        try:
            self._write(text, expected)
        except OSError as error:
            raise WriteFailed(messages.POLICY_CANNOT_BE_WRITTEN.format(file=relative_name(self.path), problem=error.strerror or error),
                              hint=messages.POLICY_CANNOT_BE_WRITTEN_HINT) from None

    def _write(self, text: str, expected: str) -> None:
        target = Path(os.path.realpath(self.path))  # through a symlink: replace the file, keep the link
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            raise StaleVersion(self.changed_elsewhere) from None
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, mode)
            with self.lock:
                self.check_version(expected)  # the last look: only the rename follows it
                os.replace(temporary, target)  # atomic: readers see the old file or the new one, never half
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
