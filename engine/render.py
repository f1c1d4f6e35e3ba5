"""How reports (report.Report), explanations and article lists look on a terminal and as JSON.

Text goes through rich with markup off, so nothing from a facts or policy file is ever read as
markup; JSON is written with ensure_ascii=False.
"""
from __future__ import annotations

import json
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import ir, language, messages
from .text import parse_article_label
from .in_force import PRE_EFFECTIVE
from .backend import RuleRecord
from .findings import Evaluation, excesses
from .report import BREACHES, Report, ReportFinding
from .staff_labels import StaffLabels, date_in_words, dates_in_words
from .valuation import NEVER, ProjectValues
from .values import format_value

_KIND_STYLE = {kind.word: kind.style for kind in language.FINDING_KINDS}


def to_json(data: Any) -> str:
    """Indented JSON; orjson writes the same text as json.dumps(indent=2) several times faster."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
    except TypeError:  # an integer beyond 64 bits
        return json.dumps(data, ensure_ascii=False, indent=2)


def print_report(console: Console, report: Report, labels: StaffLabels | None = None, building_unit: str | None = None) -> None:
    """One project's findings, grouped by kind. With the policy's staff labels (staff_labels.py), as
    staff read them: the article with its 款 (第三十条第二款), the facts to supply in words
    (合同 › 法律顾问), dates as 2025年2月13日; without them, as the report writes them."""
    title = Text(f"{report.project_id} {report.project_name}（{report.file}）  结论：", style="bold")
    title.append(report.conclusion, style=_KIND_STYLE[language.CONCLUSION_KIND.get(report.conclusion, language.NOT_APPLICABLE)])
    console.print(title)
    if labels is not None:
        unit = f"建设单位 {building_unit}　" if building_unit else ""
        console.print(Text(f"{unit}评估日期 {date_in_words(report.as_of)}"))
        console.print(Text(f"依据：{labels.policy_in_words(report.policy_name, report.policy_number)}"))
    if not report.findings:
        console.print(Text("  未发现问题。"))
        return
    table = Table(show_lines=False, expand=False, pad_edge=False)
    for column in ("类别", "条款", "规则", "摘要", "截止日期 / 缺少"):
        table.add_column(column, overflow="fold")
    for kind, findings in report.by_kind():
        for finding in findings:
            notes = f"\n释义：{finding.reading}" if finding.reading is not None else ""
            if finding.judged_by_earlier_version(report.policy_number):
                version = finding.version if labels is None else dates_in_words(finding.version or "")
                notes += f"\n按{version}的版本判定"
            table.add_row(Text(kind, style=_KIND_STYLE[kind]), Text(_clause(finding, labels)), Text(finding.rule_id),
                          Text(finding.summary + finding.record_note + notes), Text(_next_step(finding, labels)))
    console.print(table)


def _clause(finding: ReportFinding, labels: StaffLabels | None) -> str:
    return finding.article_label if labels is None else labels.clause(finding.article_label, finding.quote)


def _next_step(finding: ReportFinding, labels: StaffLabels | None) -> str:
    """What a reviewer acts on next: the deadline, or the facts to supply."""
    if labels is None:
        return finding.deadline_or_missing
    if finding.deadline:
        return date_in_words(finding.deadline)
    return "、".join(labels.fact(key).text for key in finding.missing)


def print_unusable(console: Console, file: str, error: str) -> None:
    """In place of a report, for a file that could not be used: its located error."""
    title = Text(f"{file}  结论：", style="bold")
    title.append("无法使用", style="bold red")
    console.print(title)
    for line in error.splitlines():
        console.print(Text(f"  {line}"))


def print_summary(console: Console, reports: list[Report], failures: int, top: int = 5) -> None:
    """The one-screen end of a batch: projects per 结论, the articles most often violated, and the
    nearest deadlines still ahead."""
    counts: dict[str, int] = {}
    violated: dict[tuple[int, str], set] = {}
    deadlines = []
    for report in reports:
        counts[report.conclusion] = counts.get(report.conclusion, 0) + 1
        for finding in report.findings:
            if finding.kind in BREACHES:
                violated.setdefault((finding.article_number, finding.article_label), set()).add(report.project_id or report.file)
            if finding.kind == language.TODO and finding.deadline:
                deadlines.append((finding.deadline, report.project_id, finding.article_label, finding.summary))
    parts = [f"{name} {counts[name]}" for name in ("不合规", "信息不全", "合规", "不适用") if name in counts]
    line = f"共 {len(reports) + failures} 个项目：" + "，".join(parts)
    if failures:
        line += f"，无法读取 {failures}"
    console.print(Text(line, style="bold"))
    if violated:
        ranked = sorted(violated.items(), key=lambda item: (-len(item[1]), item[0][0]))[:top]
        console.print(Text("违反最多的条文：" + "；".join(f"{label} {len(ids)} 个项目" for (_, label), ids in ranked)))
    if deadlines:
        console.print(Text("最近的截止日期："))
        for deadline, project, label, summary in sorted(deadlines)[:top]:
            console.print(Text(f"  {date_in_words(deadline)}  {project}  {label}  {summary}"))


def explain(report: Evaluation, all_values: ProjectValues, records: list[RuleRecord], article: ir.ArticleInfo) -> list[str]:
    """The reasoning behind every rule of one article for one project, as lines of text; a rule
    checked per record (对每项) is explained record by record. Whether a rule applied and why it
    said nothing is read from what the evaluation recorded (CompiledPolicy.evaluate_recorded),
    never decided here; `all_values` is only shown."""
    lines = [f"{article.label}（{article.title}）", *[f"  原文：{p}" for p in article.text], ""]
    recorded = {(r.rule_id, r.item): r for r in records}
    for rule in (r for r in report.policy.rules if r.article.label == article.label):
        lines.append(f"规则 {rule.rule_id}（{rule.span.file}:{rule.span.line}）依据「{rule.quote}」")
        lines.extend(f"  释义：{reading}" for reading in rule.readings)
        if rule.version:
            lines.append(f"  版本：{rule.version}")
        if rule.each:
            records = all_values.items.get(rule.each, ())
            if not records:
                lines.append(f"  结果：{rule.each} 没有记录，不需检查")
            for index, values in enumerate(records):
                lines.append(f"  第 {index + 1} 项：")
                lines.extend("  " + line for line in _explain_target(rule, values, recorded[rule.rule_id, index], report))
        else:
            lines.extend(_explain_target(rule, all_values.project, recorded[rule.rule_id, None], report))
        lines.append("")
    return lines


def _explain_target(rule: ir.Rule, values, record: RuleRecord, report: Evaluation) -> list[str]:
    lines = []
    findings = [f for f in report.findings if f.rule.rule_id == rule.rule_id and f.item == record.item]
    if record.applies is not True:
        lines.append("  结果：不适用于本项目（前提条件不成立，或本办法不适用）")
    elif not findings:
        lines.append(f"  结果：{_not_fired(record)}")
    for finding in findings:
        if finding.variant.startswith(PRE_EFFECTIVE):
            lines.append(f"  结果：{messages.NOT_JUDGED_PRE_EFFECTIVE} —— {finding.summary}")
            continue
        lines.append(f"  结果：{finding.kind} —— {finding.summary}")
        if finding.deadline:
            lines.append(f"  截止日期：{finding.deadline.isoformat()}")
        if finding.missing:
            lines.append(f"  缺少：{'、'.join(finding.missing)}")
        for rid in finding.rests_on:
            lines.append(f"  依据的发现：规则 {rid}")
        outcome = next((o for o in rule.outcomes if o.variant == finding.variant), None)
        if outcome is not None:
            lines.extend(f"  计算：{label} = {shown}" for label, shown in excesses(outcome.condition, values).items())
    lines.append("  读取的事实：")
    for term in rule.reads:
        value = values.value(term)
        shown = "（未填）" if value is None else "（未发生）" if value is NEVER else format_value(value)
        lines.append(f"    {term.path} = {shown}")
    for term in rule.terms:
        value = values.value(term)
        if value is not None:
            lines.append(f"    计算：{term.label}（{term.base.path} + {term.amount}）= {format_value(value)}" if term.label == "截止日期"
                         else f"    计算：{term.label} = {format_value(value)}")
    return lines


def _not_fired(record: RuleRecord) -> str:
    """Why a rule that applies reported nothing, as the evaluation recorded it: an exception held,
    the conduct predates the 施行日期, it was not decidable without facts (a 提示 stays silent
    then), or its conditions do not hold."""
    if record.exempted_by is not None:
        return f"不检查：适用规则 {record.exempted_by} 的例外"
    if record.pre_effective:
        return messages.NOT_JUDGED_PRE_EFFECTIVE
    if record.unknown:
        return "未触发：缺少事实，无法确定本条规则所列情形是否存在（提示类规则此时不报告）"
    return "未触发：按读取的事实，本条规则所列情形不存在"


def articles_json(policy: ir.Policy) -> list[dict]:
    counts: dict[str, int] = {}
    for rule in policy.rules:
        counts[rule.article.label] = counts.get(rule.article.label, 0) + 1
    entries = [{"条": a.number, "条号": a.label, "标题": a.title, "章": a.chapter, "原文": "\n".join(a.text),
                "规则数": counts.get(a.label, 0), "可检查": counts.get(a.label, 0) > 0} for a in policy.articles]
    for label, title in policy.repealed:  # a fork's repealed articles are listed, not silently dropped
        number = parse_article_label(label)
        at = next((i for i, e in enumerate(entries) if (e["条"], 0) > (number[0], number[1])), len(entries))
        entries.insert(at, {"条": number[0], "条号": label, "标题": title, "章": "", "原文": "", "规则数": 0,
                            "可检查": False, "已废止": True})
    return entries


def print_articles(console: Console, policy: ir.Policy) -> None:
    entries = articles_json(policy)
    checkable = sum(1 for e in entries if e["可检查"])
    repealed = sum(1 for e in entries if e.get("已废止"))
    also = f"；另有已废止 {repealed} 条" if repealed else ""
    console.print(Text(f"{policy.meta.name}（{policy.meta.number}）：共 {len(entries) - repealed} 条，其中可检查 {checkable} 条{also}",
                       style="bold"))
    table = Table(show_lines=True)
    for column in ("条号", "标题", "规则", "原文"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        rules = "已废止" if entry.get("已废止") else str(entry["规则数"]) if entry["可检查"] else "声明性"
        table.add_row(Text(entry["条号"]), Text(entry["标题"]), Text(rules), Text(entry["原文"] or "（本办法废止了这一条）"))
    console.print(table)
