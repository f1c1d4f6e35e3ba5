"""The workbench's 台账 tab, free of HTTP: the register read and edited through its façade
(engine/register), judged by the workbench's current policy (so a saved edit of the rules is what
the next view of the register uses).

Every endpoint is a POST: like the page's other writes and runs, it passes the whole gate (JSON,
same Origin, the launch secret), because the register holds the bureau's project data. The
database is opened on first use, so a workbench started for editing rules alone never creates one.
"""
from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from .. import messages
from ..errors import ToolError
from ..register.database import open_database
from ..register.policies import register_policy
from ..register.record import NOT_STORED, STAGES, NO_STAGE
from ..register.register import Register
from ..report import Report
from ..report_html import printable_report
from ..report_view import ReportView
from ..staff_labels import staff_labels
from .bodies import RegisterListBody, RegisterProjectBody, RegisterSetBody

WORKBENCH_ACTOR = "政策工作台"


class RegisterDesk:
    def __init__(self, workbench, database: str | None) -> None:
        self.workbench = workbench
        self.database = database
        self._engine = None
        self._opening = threading.Lock()

    def _register(self, compiled) -> Register:
        with self._opening:
            if self._engine is None:
                self._engine = open_database(self.database)
        return Register(self._engine, register_policy(compiled, Path(self.workbench.policy_path)))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def overview(self, body: RegisterListBody) -> dict:
        as_of = body.as_of_date() or dt.date.today()
        with self.workbench.policy() as compiled:
            rows = self._register(compiled).dashboard(as_of)
        return {"评估日期": as_of.isoformat(), "项目": rows,
                "单位": sorted({r["建设单位"] for r in rows}),
                "阶段": [NO_STAGE, *(name for name, _ in STAGES)]}

    def _show(self, register: Register, body: RegisterProjectBody) -> dict:
        # The tab's 评估日期 judges the register's current facts as of that day, like its list
        # (and like `register list --as-of`); going back to what was known on a past day is `register show --as-of`.
        as_of = body.as_of_date() or dt.date.today()
        return register.show(body.id, as_of, today=as_of)

    def project(self, body: RegisterProjectBody) -> dict:
        with self.workbench.policy() as compiled:
            register = self._register(compiled)
            shown = self._show(register, body)
            fields = [{"字段": spec.path, "类型": spec.type, "取值": list(spec.words), "说明": spec.description}
                      for path, spec in compiled.vocabulary.fields.items()
                      if path not in NOT_STORED and spec.type != "记录列表"]
            # 「显示」: the report as staff read it (report_view.py), for the tab's findings.
            report = shown["报告"]
            view = None if report.get("错误") else ReportView.of(Report.from_json(report), staff_labels(compiled),
                                                               shown["事实"].get("项目.建设单位")).to_json()
            return {**shown, "历史": register.history(body.id), "字段": fields, "显示": view}

    def report_page(self, body: RegisterProjectBody) -> dict:
        """The project's printable report, the same page the 试算 tab prints."""
        with self.workbench.policy() as compiled:
            shown = self._show(self._register(compiled), body)
            labels = staff_labels(compiled)
        report = shown["报告"]
        if report.get("错误"):
            raise ToolError(messages.REGISTER_CANNOT_PRINT.format(id=body.id, error=report["错误"]))
        return {"html": printable_report(Report.from_json(report, shown["政策指纹"]), labels, shown["事实"].get("项目.建设单位"))}

    def set_field(self, body: RegisterSetBody) -> dict:
        with self.workbench.policy() as compiled:
            change = self._register(compiled).set_field(body.id, body.field, body.value, actor=WORKBENCH_ACTOR, source="表单")
        if change is None:
            return {"变更": None}
        return {"变更": {"字段": change.field, "原值": change.old, "新值": change.new}}
