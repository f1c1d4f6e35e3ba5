"""Events: every change to a project's record is a row, never an overwrite.

A changeset is one act of one person from one place (an import of a folder or a workbook, one form
edit, one command); its events say which field went from what to what. Replaying a project's
events in order gives its record; replaying only those recorded before a moment gives the record
as it was known then.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from .record import Record, decode, encode
from .schema import changesets, events, projects

SOURCES = ("导入", "表单", "接口", "命令行")
CHUNK = 500  # ids per IN (…): well under SQLite's and PostgreSQL's limits on bound parameters


@dataclass(frozen=True, slots=True)
class Change:
    project_id: str
    field: str
    old: Any  # text as staff write it, a list of texts, or None (absent)
    new: Any


def changes_between(project_id: str, old: Record, new: Record, fields: Iterable[str] | None = None) -> list[Change]:
    """The changes that turn `old` into `new`. `fields` are the fields the new record speaks for (the
    columns of a workbook); None means the new record is complete (a facts file), so a field it
    lacks is removed, i.e. unknown again."""
    paths = set(fields) if fields is not None else set(old) | set(new)
    return [Change(project_id, path, old.get(path), new.get(path))
            for path in sorted(paths) if old.get(path) != new.get(path)]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def write_changeset(connection: Connection, changes: list[Change], *, actor: str, source: str,
                    origin: str = "", at: dt.datetime | None = None) -> int | None:
    """Record changes as one changeset (inside the caller's transaction). None when nothing changed."""
    assert source in SOURCES, source
    if not changes:
        return None
    changeset_id = connection.execute(insert(changesets).values(
        recorded_at=at or utc_now(), actor=actor, source=source, origin=origin)).inserted_primary_key[0]
    touched = sorted({c.project_id for c in changes})
    known = set()
    for chunk in _chunks(touched):
        known.update(connection.execute(select(projects.c.id).where(projects.c.id.in_(chunk))).scalars())
    new_projects = [{"id": pid} for pid in touched if pid not in known]
    if new_projects:
        connection.execute(insert(projects), new_projects)
    connection.execute(insert(events), [
        {"changeset_id": changeset_id, "project_id": c.project_id, "field": c.field,
         "old_value": encode(c.old), "new_value": encode(c.new)} for c in changes])
    last = (select(func.max(events.c.id)).where(events.c.project_id == projects.c.id).scalar_subquery())
    connection.execute(update(projects).where(
        projects.c.id.in_(select(events.c.project_id).where(events.c.changeset_id == changeset_id)))
        .values(last_event_id=last))
    return changeset_id


def replay(connection: Connection, project_ids: Iterable[str] | None = None,
           until: dt.datetime | None = None) -> dict[str, tuple[Record, int]]:
    """Each project's record and its last event id, from the events recorded before `until` (UTC;
    None: all of them). `project_ids` None means every project."""
    query = select(events.c.project_id, events.c.id, events.c.field, events.c.new_value).order_by(events.c.id)
    if until is not None:
        query = query.join(changesets, changesets.c.id == events.c.changeset_id).where(changesets.c.recorded_at < until)
    found: dict[str, tuple[Record, int]] = {}
    groups = [None] if project_ids is None else list(_chunks(sorted(set(project_ids))))
    for chunk in groups:
        rows = connection.execute(query if chunk is None else query.where(events.c.project_id.in_(chunk)))
        for project_id, event_id, field, new_value in rows:
            record, _ = found.get(project_id, ({}, 0))
            if new_value is None:
                record.pop(field, None)
            else:
                record[field] = decode(new_value)
            found[project_id] = (record, event_id)
    return {pid: state for pid, state in found.items() if state[0]}


def history(connection: Connection, project_id: str) -> list[dict]:
    query = (select(events.c.id, changesets.c.recorded_at, changesets.c.actor, changesets.c.source,
                    changesets.c.origin, events.c.field, events.c.old_value, events.c.new_value)
             .join(changesets, changesets.c.id == events.c.changeset_id)
             .where(events.c.project_id == project_id).order_by(events.c.id))
    return [{"事件": row.id, "时间": row.recorded_at, "人员": row.actor, "来源": row.source, "出处": row.origin,
             "字段": row.field, "原值": decode(row.old_value), "新值": decode(row.new_value)}
            for row in connection.execute(query)]


def _chunks(items: list) -> Iterator[list]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
