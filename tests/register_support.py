"""Databases for the register's tests: SQLite always; PostgreSQL when REGISTER_TEST_POSTGRES names
a server (.ci/run starts a throwaway cluster and sets it). In CI a missing server is a failure, not
a skip, so the PostgreSQL path cannot silently stop being tested."""
from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest

POSTGRES_VARIABLE = "REGISTER_TEST_POSTGRES"


def database_params() -> list:
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def make_database_url(kind: str, tmp_path):
    """(url, cleanup) for a fresh, empty database of `kind`."""
    if kind == "sqlite":
        return str(tmp_path / "台账.db"), lambda: None
    admin = os.environ.get(POSTGRES_VARIABLE)
    if not admin:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test the register on PostgreSQL: {POSTGRES_VARIABLE} is not set (see .ci/run)")
        pytest.skip(f"no PostgreSQL server ({POSTGRES_VARIABLE} not set)")
    import psycopg
    name = f"register_test_{uuid.uuid4().hex[:12]}"
    conninfo = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base, _, query = conninfo.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else ""), drop


class Clock:
    """A settable UTC clock for the register: changes and evaluations happen when a test says."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment

    def at_local(self, day: dt.date, hour: int = 10) -> None:
        self.moment = dt.datetime(day.year, day.month, day.day, hour) - dt.timedelta(hours=8)  # county time → UTC
