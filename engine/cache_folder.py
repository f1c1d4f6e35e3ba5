"""The folder where the tool keeps what it can compute again (the policy parser's tables, validated
facts): nothing in it is ever needed, it can be deleted at any time, and one that cannot be used
costs speed only.

%LOCALAPPDATA%\\jinxiang-policy\\cache on Windows, else $XDG_CACHE_HOME/jinxiang-policy or
~/.cache/jinxiang-policy; `cli.py eval --cache DIR` chooses another and `--no-cache` none (for the
whole process, as set_cache_folder does).

What is read back from it is trusted to mean what it says (a parser's tables, a project's facts),
so the folder and every file used from it must be this user's and writable by no one else, as ssh
asks of ~/.ssh: otherwise another user on the machine (a shared --cache folder, a group-writable
~/.cache) could plant an entry that changes a result. Such a folder is not used at all; nothing in
it is ever executed either way (no pickles: parser_tables.py, facts_cache.py).
"""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

_UNSET = object()
_chosen: object = _UNSET


def default_cache_folder() -> Path:
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "jinxiang-policy" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jinxiang-policy"


def set_cache_folder(folder: Path | None) -> None:
    """Use `folder` from now on in this process (None: no cache at all)."""
    global _chosen
    _chosen = folder


def cache_folder() -> Path | None:
    """The folder in use, created if need be (for this user only), or None when there is none, it
    cannot be made, or another user could write in it."""
    folder = default_cache_folder() if _chosen is _UNSET else _chosen
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None
    return folder if stat.S_ISDIR(status.st_mode) and _ours_alone(status) else None


def trusted_file(path: Path) -> bool:
    """Whether a file in the cache folder may be read back: a regular file (not a link to elsewhere),
    this user's, writable by no one else."""
    try:
        status = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and _ours_alone(status)


def _ours_alone(status: os.stat_result) -> bool:
    if not hasattr(os, "getuid"):  # Windows: %LOCALAPPDATA% is the user's own; its ACLs are not modes
        return True
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
