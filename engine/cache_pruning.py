"""Keeping the cache folder from filling with facts databases of other versions.

facts_cache names its database for the engine's source, the readers' versions and the vocabulary,
so every change of code leaves the previous database behind (each up to tens of MB). A process
that uses a database holds a shared flock on a file beside it (`facts-….lock`, touched on each
use); when a facts cache first connects in a process, every other version's database that no
process holds and that was not used for PRUNE_AFTER_SECONDS (so that two versions measured side by
side do not delete each other's) is deleted with its WAL files, under an exclusive lock taken
without waiting. Where flock does not exist (Windows) nothing is marked or deleted.

A database is never deleted under a process that marks its use: the mark is taken before the
database is opened, and one that finds its lock file unlinked by a pruner takes a new one. A
process of a version before these marks can lose its database while it runs; it then goes on
with the file it has open, or starts an empty one: a cache costs speed, never a result.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

PRUNE_AFTER_SECONDS = 3600
_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)  # a lock file planted as a link is not followed
_pruned: set[Path] = set()  # folders already pruned by this process


def lock_path(database: Path) -> Path:
    return database.with_suffix(".lock")


def mark_in_use(database: Path) -> int | None:
    """A descriptor holding the shared lock that says this process uses `database` (None where
    there are no flocks or the lock file cannot be made). Close it to let the database go."""
    if fcntl is None:
        return None
    path = lock_path(database)
    for _ in range(10):  # each pruner that unlinks the lock file meanwhile costs one more round
        try:
            descriptor = os.open(path, _LOCK_FLAGS, 0o600)
        except OSError:
            return None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH)  # waits while a pruner holds it, a moment
            if os.fstat(descriptor).st_ino == os.stat(path).st_ino:
                os.utime(descriptor)  # last used: now
                return descriptor
        except OSError:
            pass
        os.close(descriptor)
    return None


def prune_other_versions(folder: Path, keep: Path) -> list[Path]:
    """Once per process and folder: delete the databases of other versions that no process uses
    and that were not used for PRUNE_AFTER_SECONDS. The databases deleted."""
    if fcntl is None or folder in _pruned:
        return []
    _pruned.add(folder)
    deleted = []
    try:
        names = {path.name.split(".")[0] for path in folder.glob("facts-*.sqlite3")}
        names |= {path.name.split(".")[0] for path in folder.glob("facts-*.lock")}
    except OSError:
        return []
    for name in sorted(names - {keep.name.split(".")[0]}):
        database = folder / f"{name}.sqlite3"
        if _delete_if_unused(database):
            deleted.append(database)
    return deleted


def _delete_if_unused(database: Path) -> bool:
    lock = lock_path(database)
    files = [Path(f"{database}-wal"), Path(f"{database}-shm"), database]  # the WAL first: never a WAL left beside no database
    try:
        last_used = max((path.stat().st_mtime for path in (*files, lock) if path.exists()), default=0.0)
        descriptor = os.open(lock, _LOCK_FLAGS, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # refused while any process marks its use
        if os.fstat(descriptor).st_ino != os.stat(lock).st_ino or time.time() - last_used < PRUNE_AFTER_SECONDS:
            return False
        for path in files:
            path.unlink(missing_ok=True)
        lock.unlink()  # still held: a process waiting for it sees it gone and takes a new one
        return True
    except OSError:  # held by another process (BlockingIOError), or gone meanwhile
        return False
    finally:
        os.close(descriptor)
