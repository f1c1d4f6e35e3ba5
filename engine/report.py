"""The report: one project's findings as docs/report.md defines them, typed.

The evaluation (findings.Evaluation) holds live IR objects; a Report holds only what a reviewer
reads, so it can cross a process boundary, be stored and read back (the register keeps its JSON),
and be shown. The text renderer (render.py), the printable HTML report (report_html.py) and the
JSON output of the CLI and the workbench all read this one class; the JSON form is
docs/report.schema.json, and `to_json` writes the keys in the order that file and docs/report.md give.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import language

if TYPE_CHECKING:
    from .findings import Evaluation, Finding

BREACHES = language.BREACH_KINDS  # the kinds that make a project 不合规 and the CLI exit 1


def joined_readings(readings: tuple[str, ...]) -> str | None:
    """A rule's 释义 lines as one text: a line that ends its own sentence or clause (「…：」「…；」)
    is followed directly, any other by 「；」 (never 「：；」 or 「；；」)."""
    if not readings:
        return None
    text = readings[0]
    for reading in readings[1:]:
        text += reading if text.endswith(("：", "；", "。", "，", "、", "！", "？")) else "；" + reading
    return text


@dataclass(frozen=True, slots=True)
class ReportFinding:
    """One finding, as the JSON object of docs/report.md (the Chinese key of each field beside it)."""

    article_number: int  # 条
    article_label: str  # 条号
    rule_id: str  # 规则
    kind: str  # 类别
    summary: str  # 摘要
    quote: str  # 原文: the sentence the rule enforces
    basis: dict[str, str]  # 依据: fact or computed value → as shown
    deadline: dt.date | None  # 截止日期
    missing: tuple[str, ...]  # 缺少: key paths
    source: str  # 出处: file:first-last line of the rule
    record: int | None = None  # 项: for a rule checked per record, which one (1-based)
    reading: str | None = None  # 释义: the rule's readings joined with ；
    version: str | None = None  # 版本: the version of the policy whose rule this is

    @classmethod
    def of(cls, finding: Finding) -> ReportFinding:
        rule = finding.rule
        return cls(finding.article.number, finding.article.label, rule.rule_id, finding.kind, finding.summary,
                   rule.quote, dict(finding.basis), finding.deadline, finding.missing, finding.location,
                   None if finding.item is None else finding.item + 1,
                   joined_readings(rule.readings), rule.version or None)

    @property
    def record_note(self) -> str:
        """「（第2项）」 after the summary of a finding about one record, else nothing."""
        return f"（第{self.record}项）" if self.record is not None else ""

    @property
    def deadline_or_missing(self) -> str:
        """What a reviewer acts on next: the deadline, or the facts to supply."""
        return self.deadline.isoformat() if self.deadline else "、".join(self.missing)

    def judged_by_earlier_version(self, policy_number: str) -> bool:
        """Conduct before a revision is judged by the earlier version's rule (engine/versions.py)."""
        return self.version is not None and not self.version.startswith(policy_number)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "条": self.article_number,
            "条号": self.article_label,
            "规则": self.rule_id,
            "类别": self.kind,
            "摘要": self.summary,
            "原文": self.quote,
            "依据": dict(self.basis),
            "截止日期": self.deadline.isoformat() if self.deadline else None,
            "缺少": list(self.missing),
            "出处": self.source,
        }
        if self.record is not None:
            data["项"] = self.record
        if self.reading is not None:
            data["释义"] = self.reading
        if self.version is not None:
            data["版本"] = self.version
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportFinding:
        deadline = data.get("截止日期")
        return cls(data["条"], data["条号"], data["规则"], data["类别"], data["摘要"], data["原文"], dict(data["依据"]),
                   dt.date.fromisoformat(deadline) if deadline else None, tuple(data["缺少"]), data["出处"],
                   data.get("项"), data.get("释义"), data.get("版本"))


@dataclass(frozen=True, slots=True)
class Report:
    """One project's report: who, against which policy, as of when, the 结论 and the findings."""

    policy_name: str  # 办法
    policy_number: str  # 文号
    as_of: dt.date  # 评估日期
    project_id: str  # 项目编号
    project_name: str  # 项目名称
    file: str  # 文件
    conclusion: str  # 结论
    findings: tuple[ReportFinding, ...] = ()  # 发现, in rule order
    # Which compiled text judged it (ir.Policy.fingerprint): printed on the HTML report, not part of the JSON.
    policy_fingerprint: str | None = field(default=None, compare=False)

    @classmethod
    def of(cls, evaluation: Evaluation) -> Report:
        meta = evaluation.policy.meta
        return cls(meta.name, meta.number, evaluation.as_of, evaluation.project_id, evaluation.project_name,
                   evaluation.file, evaluation.conclusion, tuple(ReportFinding.of(f) for f in evaluation.findings),
                   evaluation.policy.fingerprint)

    @property
    def has_violations(self) -> bool:
        return any(f.kind in BREACHES for f in self.findings)

    def by_kind(self) -> list[tuple[str, list[ReportFinding]]]:
        """The findings grouped by kind, in the order a reviewer reads them (违规 before 提示)."""
        groups = [(kind, [f for f in self.findings if f.kind == kind]) for kind in language.KIND_ORDER]
        return [(kind, found) for kind, found in groups if found]

    def to_json(self) -> dict[str, Any]:
        return {
            "办法": self.policy_name,
            "文号": self.policy_number,
            "评估日期": self.as_of.isoformat(),
            "项目编号": self.project_id,
            "项目名称": self.project_name,
            "文件": self.file,
            "结论": self.conclusion,
            "发现": [f.to_json() for f in self.findings],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], policy_fingerprint: str | None = None) -> Report:
        """A report read back from its JSON form (the register stores reports so)."""
        return cls(data["办法"], data["文号"], dt.date.fromisoformat(data["评估日期"]), data["项目编号"],
                   data["项目名称"], data["文件"], data["结论"],
                   tuple(ReportFinding.from_json(f) for f in data["发现"]), policy_fingerprint)

