"""The folder where the tool keeps what it can compute again (the policy parser's tables, validated
facts): nothing in it is ever needed, it can be deleted at any time, and one that cannot be used
costs speed only.

%LOCALAPPDATA%\\jinxiang-policy\\cache on Windows, else $XDG_CACHE_HOME/jinxiang-policy or
~/.cache/jinxiang-policy; `cli.py eval --cache DIR` chooses another and `--no-cache` none (for the
whole process, as set_cache_folder does).
"""
from __future__ import annotations

import os
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
    """The folder in use, created if need be, or None when there is none or it cannot be made."""
    folder = default_cache_folder() if _chosen is _UNSET else _chosen
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder
