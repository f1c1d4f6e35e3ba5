"""Validated facts remembered by the file's content, so that evaluating the same portfolio again
(the daily review, a changed policy, another 评估日期) skips reading YAML and validating.

An entry is keyed by the SHA-256 of the file's bytes and its kind (YAML or JSON), in a database
named for everything else that decides what those bytes mean: this cache's format, the source of
the engine's modules (any edit to the reading code starts a new database), the versions of
pydantic and PyYAML, and the vocabulary. So an entry is never stale. Only files that were read
without error are remembered: a wrong file is read again each time and its message is always today's.

The database is SQLite in WAL mode, one per namespace, in the cache folder (cache_folder.py);
concurrent workers each open their own connection (after the fork) and write a chunk's entries in
one transaction (a file per entry cost ~1.4 ms to create here, more than reading the YAML). Each
entry carries a checksum of its content and its own key, and one that does not check out is
ignored and written anew. A cache that cannot be opened or written costs speed, never a result.
Databases of other versions that no process uses are deleted (cache_pruning.py).
Values are stored as tagged JSON, never as pickles. A checksum does not stop someone who can write
the database from planting an entry, so a database (or its WAL) that is not this user's alone is
not opened (cache_folder.trusted_file), and its schema is not trusted to run functions.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import sys
from decimal import Decimal
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson

from .cache_folder import trusted_file
from .cache_pruning import mark_in_use, prune_other_versions
from .facts import MAX_FACTS_BYTES, ProjectFacts, facts_from_text, load_facts
from .values import Duration
from .vocabulary import Vocabulary

CACHE_FORMAT = "1"
ENGINE_FOLDER = Path(__file__).resolve().parent


class FactsCache:
    """Reads facts files through the cache; `load_many` gives what load_facts gives for each file
    (its ProjectFacts, or the exception it raises), in order."""

    def __init__(self, folder: Path, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.database = folder / f"facts-{_namespace(vocabulary)}.sqlite3"
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._in_use: int | None = None  # the lock that tells pruners this process uses the database

    def close(self) -> None:
        """Closes the database and lets it go (a pruner of another version may delete it then)."""
        if self._connection is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
        self._connection = None
        if self._in_use is not None:
            with contextlib.suppress(OSError):
                os.close(self._in_use)
            self._in_use = None

    __del__ = close

    def load_many(self, paths: list[Path], displays: list[str]) -> list[ProjectFacts | Exception]:
        read = [self._read(path) for path in paths]
        remembered = self._remembered([key for key, _ in read if key is not None])
        results: list[ProjectFacts | Exception] = []
        new: list[tuple[str, bytes]] = []
        for path, display, (key, raw) in zip(paths, displays, read):
            try:
                entry = remembered.get(key) if key is not None else None
                if entry is not None:
                    results.append(ProjectFacts(file=display, values=entry[0], records=entry[1]))
                    continue
                text = _text(raw)
                if text is None:
                    facts = load_facts(path, self.vocabulary, display)  # which says what is wrong with the file
                else:
                    facts = facts_from_text(text, self.vocabulary, display, _is_json(path))
                    content = _entry(key, facts)
                    if content is not None:
                        new.append((key, content))
                results.append(facts)
            except Exception as error:  # noqa: BLE001 - the caller reports each file's own error
                results.append(error)
        self._remember(new)
        return results

    def _read(self, path: Path) -> tuple[str | None, bytes | None]:
        """(key, bytes) of a file within the size limit, or (None, None) for load_facts to refuse."""
        try:
            if path.stat().st_size > MAX_FACTS_BYTES:
                return None, None
            raw = path.read_bytes()
        except OSError:
            return None, None
        if len(raw) > MAX_FACTS_BYTES:  # grown since stat
            return None, None
        return hashlib.sha256((b"json\n" if _is_json(path) else b"yaml\n") + raw).hexdigest(), raw

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._connection, self._pid = None, os.getpid()  # a connection inherited through fork is never used
        try:
            self.database.parent.mkdir(parents=True, exist_ok=True)
            companions = [self.database, *(self.database.with_name(self.database.name + end) for end in ("-wal", "-shm"))]
            if any(path.exists() and not trusted_file(path) for path in companions):
                return None
            if self._in_use is not None:
                os.close(self._in_use)  # the parent's, inherited through fork; the parent keeps its own
            self._in_use = mark_in_use(self.database)  # before opening: a pruner cannot delete it now
            prune_other_versions(self.database.parent, keep=self.database)
            connection = sqlite3.connect(self.database, timeout=10, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA trusted_schema=OFF")
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, entry BLOB NOT NULL) WITHOUT ROWID")
        except (OSError, sqlite3.Error):
            return None
        self._connection = connection
        return connection

    def _remembered(self, keys: list[str]) -> dict[str, tuple[dict, dict]]:
        connection = self._connect()
        if connection is None or not keys:
            return {}
        found = {}
        try:
            for start in range(0, len(keys), 500):  # SQLite's limit on parameters
                part = keys[start:start + 500]
                rows = connection.execute(f"SELECT key, entry FROM facts WHERE key IN ({','.join('?' * len(part))})", part)
                for key, content in rows:
                    entry = _read_entry(content, key)
                    if entry is not None:
                        found[key] = entry
        except sqlite3.Error:
            return {}
        return found

    def _remember(self, new: list[tuple[str, bytes]]) -> None:
        connection = self._connect()
        if connection is None or not new:
            return
        try:
            with contextlib.closing(connection.cursor()) as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    cursor.executemany("INSERT OR REPLACE INTO facts (key, entry) VALUES (?, ?)", new)
                    cursor.execute("COMMIT")
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
        except sqlite3.Error:
            pass


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _text(raw: bytes | None) -> str | None:
    try:
        return raw.decode("utf-8-sig") if raw is not None else None
    except UnicodeDecodeError:
        return None


@lru_cache(maxsize=8)
def _namespace(vocabulary: Vocabulary) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\n{_code_version()}\n".encode())
    digest.update(repr(vocabulary.tree).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


@lru_cache(maxsize=1)
def _code_version() -> str:
    """The engine's source and the readers it depends on: whatever could change what a file means."""
    digest = hashlib.sha256()
    for source in sorted(ENGINE_FOLDER.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    for package in ("pydantic", "pydantic-core", "PyYAML"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}={metadata.version(package)}\n".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- entries
def _entry(key: str, facts: ProjectFacts) -> bytes | None:
    """The entry's bytes: a checksum line, then the key and the facts as tagged JSON (None for
    values this format does not hold, as a lone surrogate)."""
    try:
        payload = orjson.dumps({
            "key": key,
            "values": [[path, _encode(value)] for path, value in facts.values.items()],
            "records": [[path, [[[name, _encode(value)] for name, value in item.items()] for item in items]]
                        for path, items in facts.records.items()],
        })
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _read_entry(content: Any, key: str) -> tuple[dict, dict] | None:
    try:
        checksum, _, payload = bytes(content).partition(b"\n")
        if hashlib.sha256(payload).hexdigest().encode() != checksum:
            return None
        data = orjson.loads(payload)
        if data["key"] != key:
            return None
        values = {path: _decode(value) for path, value in data["values"]}
        records = {path: tuple({name: _decode(value) for name, value in item} for item in items)
                   for path, items in data["records"]}
        return values, records
    except Exception:  # noqa: BLE001 - an entry that does not check out is as good as none
        return None


def _encode(value: Any) -> list:
    kind = type(value)
    if kind is str:
        return ["s", value]
    if kind is bool:
        return ["b", value]
    if kind is int:
        return ["i", value]
    if kind is Decimal:
        return ["m", str(value)]
    if kind is dt.date:
        return ["d", value.isoformat()]
    if kind is Duration:
        return ["u", value.unit, value.amount]
    if kind is frozenset:
        return ["f", [_encode(item) for item in value]]
    if kind is list:
        return ["l", [_encode(item) for item in value]]
    raise TypeError(kind)


def _decode(encoded: list) -> Any:
    tag = encoded[0]
    if tag == "s" and type(encoded[1]) is str:
        return encoded[1]
    if tag == "b" and type(encoded[1]) is bool:
        return encoded[1]
    if tag == "i" and type(encoded[1]) is int:
        return encoded[1]
    if tag == "m":
        return Decimal(encoded[1])
    if tag == "d":
        return dt.date.fromisoformat(encoded[1])
    if tag == "u":
        return Duration(encoded[1], encoded[2])
    if tag == "f":
        return frozenset(_decode(item) for item in encoded[1])
    if tag == "l":
        return [_decode(item) for item in encoded[1]]
    raise ValueError(tag)
