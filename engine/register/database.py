"""Opening the register: a file path means SQLite (created on first use), a URL means a server
(postgresql://…, through psycopg 3). Every open brings the schema up to the newest migration, so a
register made by an older version of the tool is migrated in place, inside one transaction."""
from __future__ import annotations

import os
import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from ..errors import UsageError, relative_name

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_DATABASE = "台账.db"
DATABASE_VARIABLE = "JINXIANG_REGISTER"  # a URL or path used when --db is not given


def database_url(target: str | None) -> str:
    """`--db` as given: a URL (postgresql://…, sqlite:///…) or a file path for SQLite."""
    target = target or os.environ.get(DATABASE_VARIABLE) or DEFAULT_DATABASE
    if "://" not in target:
        path = Path(target)
        if not path.parent.is_dir():
            raise UsageError(f"台账数据库的文件夹 {relative_name(path.parent)} 不存在", hint="先建好文件夹，或用 --db 指定别的路径")
        return f"sqlite:///{path.resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if target.startswith(prefix):
            return "postgresql+psycopg://" + target[len(prefix):]
    return target


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_database(target: str | None) -> Engine:
    url = database_url(target)
    try:
        parsed = make_url(url)
        engine = create_engine(parsed)
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise UsageError(f"无法识别台账数据库的地址「{target}」",
                         hint="写文件路径（如 台账.db），或 postgresql://用户@主机/库名") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine)
    except DBAPIError as error:
        shown = re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", target or url)  # as given, without the password
        raise UsageError(f"无法打开台账数据库 {shown}（{str(error.orig).strip().splitlines()[0]}）",
                         hint="检查路径或地址、用户名和权限") from None
    return engine


def _alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Upgrade to the newest schema; nothing happens when the database is already there."""
    with engine.begin() as connection:
        config = _alembic_config(connection)
        head = ScriptDirectory.from_config(config).get_current_head()
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head:
            return
        if current is not None and ScriptDirectory.from_config(config).get_revision(current) is None:
            raise UsageError(f"台账数据库的版本 {current} 比本工具新", hint="请升级本工具后再打开这个台账")
        command.upgrade(config, "head")
