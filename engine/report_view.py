"""A report as the staff who sign it read it: the typed report (report.Report) with every article
cited as the regulation is cited, every fact in words with its description, and dates as a bureau
document writes them (staff_labels.py). The printed report (report_html.py) and the workbench's
试算 results (its JSON form, `to_json`) both show this one view; the report itself is unchanged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .report import Report, ReportFinding
from .staff_labels import StaffLabels, date_in_words, dates_in_words

_SOURCE = re.compile(r"^(?P<file>.+):(?P<first>[0-9]+)-(?P<last>[0-9]+)$")


@dataclass(frozen=True, slots=True)
class FactLine:
    """One fact of a finding: 「合同 › 签订日期」, its description, and the value seen (None: missing)."""

    label: str
    description: str
    value: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"事实": self.label, "说明": self.description}
        if self.value is not None:
            data["值"] = self.value
        return data


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: ReportFinding
    clause: str  # 第三十条第二款
    citation: str  # 《金乡县政务信息化项目建设管理办法》第三十条第二款
    source: str  # 规则 30.1，policies/jinxiang_2024.rules 第500—503行: the exact source lines, kept for tracing
    basis: tuple[FactLine, ...]
    missing: tuple[FactLine, ...]
    deadline: str  # 2025年4月24日, or empty
    version: str  # 按金政字〔2024〕80号（2024年12月12日起施行）的版本判定: conduct judged by an earlier version, or empty

    @classmethod
    def of(cls, finding: ReportFinding, labels: StaffLabels, policy_number: str) -> FindingView:
        basis = tuple(FactLine(label.text, label.description, labels.value(shown))
                      for label, shown in ((labels.fact(key), shown) for key, shown in finding.basis.items()))
        missing = tuple(FactLine(label.text, label.description) for label in map(labels.fact, finding.missing))
        return cls(finding, labels.clause(finding.article_label, finding.quote),
                   labels.citation(finding.article_label, finding.quote), source_in_words(finding),
                   basis, missing, date_in_words(finding.deadline) if finding.deadline else "",
                   f"按{dates_in_words(finding.version or '')}的版本判定" if finding.judged_by_earlier_version(policy_number) else "")

    def to_json(self) -> dict[str, Any]:
        return {"规则": self.finding.rule_id, "条款": self.clause, "出处": self.citation, "规则出处": self.source,
                "依据": [line.to_json() for line in self.basis], "缺少": [line.to_json() for line in self.missing],
                "截止日期": self.deadline, "版本说明": self.version}


def source_in_words(finding: ReportFinding) -> str:
    """「规则 28.2，policies/jinxiang_2024.rules 第446—449行」 from the finding's 出处 (file:first-last)."""
    match = _SOURCE.match(finding.source)
    if match is None:
        return f"规则 {finding.rule_id}，{finding.source}"
    first, last = match["first"], match["last"]
    lines = f"第{first}行" if first == last else f"第{first}—{last}行"
    return f"规则 {finding.rule_id}，{match['file']} {lines}"


@dataclass(frozen=True, slots=True)
class ReportView:
    report: Report
    heading: tuple[tuple[str, str], ...]  # (项目名称, …), (项目编号, …), (建设单位, …), (评估日期, 2026年3月20日)
    policy: str  # 《金乡县政务信息化项目建设管理办法》（金政字〔2024〕80号，2024年12月12日起施行）
    groups: tuple[tuple[str, tuple[FindingView, ...]], ...]  # by kind, 违规 first
    policy_file: str  # the policy file the report was judged by, for tracing

    @classmethod
    def of(cls, report: Report, labels: StaffLabels, building_unit: str | None = None) -> ReportView:
        """`building_unit`: the facts' 项目.建设单位 (the report itself does not carry it)."""
        heading = [("项目名称", report.project_name), ("项目编号", report.project_id)]
        if building_unit:
            heading.append(("建设单位", building_unit))
        heading.append(("评估日期", date_in_words(report.as_of)))
        groups = tuple((kind, tuple(FindingView.of(f, labels, report.policy_number) for f in found)) for kind, found in report.by_kind())
        return cls(report, tuple(heading), labels.policy_in_words(report.policy_name, report.policy_number), groups, labels.policy.file)

    def finding_views(self) -> list[FindingView]:
        """The views in the report's own order (its 发现), for a page that shows them beside the JSON."""
        by_finding = {id(view.finding): view for _, views in self.groups for view in views}
        return [by_finding[id(finding)] for finding in self.report.findings]

    def to_json(self) -> dict[str, Any]:
        """What the workbench's 试算 results show beside the report's JSON: the heading, the policy in
        words, and one entry per finding in the order of 发现."""
        return {"标题": [{"项": name, "值": value} for name, value in self.heading], "依据": self.policy,
                "发现": [view.to_json() for view in self.finding_views()]}
