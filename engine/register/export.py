"""The three exports of the register: the Excel 台账, the calendar of 待办 deadlines, and JSON
(each project's record, current view and report) for other systems."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..errors import UsageError, relative_name
from .events import utc_now
from .register import Register

DEFAULT_FILES = {"xlsx": "台账.xlsx", "ics": "台账待办.ics"}


def portfolio_json(register: Register, as_of: dt.date) -> list[dict]:
    views = {row["项目编号"]: row for row in register.dashboard(as_of)}
    return [{**views[item.project_id], "事实": item.record, "报告": item.report}
            for item in register.judged_projects(as_of) if item.project_id in views]


def export_register(register: Register, output: str, target: Path | None, as_of: dt.date) -> Path | str:
    """Write the export; returns the file written, or (JSON without a file) the text."""
    if output == "json":
        text = json.dumps(portfolio_json(register, as_of), ensure_ascii=False, indent=2)
        if target is None:
            return text
        return _write(target, text.encode("utf-8"))
    target = target or Path(DEFAULT_FILES[output])
    if not target.parent.is_dir():
        raise UsageError(f"文件夹 {relative_name(target.parent)} 不存在", hint="先建好文件夹，或用 -o 指定别的路径")
    judged = register.judged_projects(as_of)
    if output == "ics":
        from .calendar import calendar_bytes
        return _write(target, calendar_bytes(judged, utc_now()))
    from .excel import write_workbook
    meta = register.policy.compiled.ir.meta
    write_workbook(target, judged, register.dashboard_rows(as_of), register.vocabulary, as_of, f"{meta.name}（{meta.number}）")
    return target


def _write(target: Path, data: bytes) -> Path:
    temporary = target.with_name(target.name + ".tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)  # atomic: an earlier export is replaced whole or kept
    except OSError as error:
        raise UsageError(f"无法写入 {relative_name(target)}（{error.strerror or error}）") from None
    return target
