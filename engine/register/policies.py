"""Which policy judged: every evaluation names the policy by a fingerprint of all the files it was
built from (the rules file, what it inherits, vocabulary extensions, the vocabulary and the holiday
data), and the register keeps those files' text, so an as-of view of a past day is judged by the
policy in force that day, rebuilt through the same façade (load_policy)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from ..backend import Engine
from ..inherit import MAX_DEPTH, header_references
from ..policy import CompiledPolicy, load_policy
from ..policy_files import MAX_VOCABULARY_BYTES, read_text_file
from ..vocabulary import DEFAULT_VOCABULARY
from ..workdays import DEFAULT_HOLIDAY_DATA
from .schema import policies

VOCABULARY_KEY, HOLIDAYS_KEY = "@词汇表.yaml", "@节假日.yaml"


@dataclass
class RegisterPolicy:
    compiled: CompiledPolicy
    fingerprint: str
    main: str  # the rules file's name among `sources`
    sources: dict[str, str]


def policy_sources(path: Path) -> tuple[str, dict[str, str]]:
    """The rules file's name and the text of every file it is built from, keyed by path relative
    to its folder (a policy may only name files inside its own folder)."""
    folder = path.resolve().parent
    sources: dict[str, str] = {}
    current = path.resolve()
    for _ in range(MAX_DEPTH + 1):
        text = read_text_file(current)  # the policy loader's reader: BOM, size limit, UTF-8
        sources[str(current.relative_to(folder))] = text
        refs = header_references(text)
        if "词汇" in refs:
            extension = (current.parent / refs["词汇"][0]).resolve()
            sources[str(extension.relative_to(folder))] = read_text_file(extension, MAX_VOCABULARY_BYTES)
        if "继承" not in refs:
            break
        current = (current.parent / refs["继承"][0]).resolve()
    sources[VOCABULARY_KEY] = DEFAULT_VOCABULARY.read_text(encoding="utf-8")
    sources[HOLIDAYS_KEY] = DEFAULT_HOLIDAY_DATA.read_text(encoding="utf-8")
    return path.name, sources


def fingerprint_of(sources: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(sources, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def register_policy(compiled: CompiledPolicy, path: Path) -> RegisterPolicy:
    main, sources = policy_sources(path)
    return RegisterPolicy(compiled, fingerprint_of(sources), main, sources)


def record_policy(connection: Connection, policy: RegisterPolicy, now: dt.datetime) -> None:
    """Remember a policy the first time it judges anything in this register."""
    known = connection.execute(select(policies.c.fingerprint).where(policies.c.fingerprint == policy.fingerprint)).first()
    if known is None:
        meta = policy.compiled.ir.meta
        connection.execute(insert(policies).values(
            fingerprint=policy.fingerprint, name=meta.name, number=meta.number, file=policy.main,
            sources=json.dumps(policy.sources, ensure_ascii=False), first_used_at=now))


def policy_in_force(connection: Connection, until: dt.datetime) -> tuple[str, str, dict[str, str]] | None:
    """(fingerprint, rules file, sources) of the policy last put to use before `until`, if any."""
    row = connection.execute(select(policies.c.fingerprint, policies.c.file, policies.c.sources)
                             .where(policies.c.first_used_at < until)
                             .order_by(policies.c.first_used_at.desc()).limit(1)).first()
    return None if row is None else (row.fingerprint, row.file, json.loads(row.sources))


def rebuild_policy(fingerprint: str, main: str, sources: dict[str, str]) -> RegisterPolicy:
    """A stored policy compiled again from its own files (in a temporary folder, loaded by the
    façade like any policy file)."""
    with tempfile.TemporaryDirectory(prefix="台账政策-") as folder:
        root = Path(folder)
        for name, text in sources.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        compiled = load_policy(root / main, vocabulary_path=root / VOCABULARY_KEY, holidays_path=root / HOLIDAYS_KEY, backend=Engine.DURABLE)
    return RegisterPolicy(compiled, fingerprint, main, sources)
