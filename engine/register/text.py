"""How the register's views look on a terminal (rich, markup off: nothing from a record is ever
read as markup). The JSON forms are the dicts the façade returns."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..values import format_value

_CONCLUSION_STYLE = {"不合规": "bold red", "信息不全": "blue", "合规": "green", "不适用": "dim"}


def _days(days: int | None) -> str:
    if days is None:
        return ""
    return "今天" if days == 0 else f"{days} 天"


def print_dashboard(console: Console, rows: list[dict], as_of: str) -> None:
    table = Table(title=f"项目台账（评估日期 {as_of}，共 {len(rows)} 个项目）", pad_edge=False)
    for column in ("项目编号", "项目名称", "建设单位", "阶段", "结论", "违规", "下一截止日期", "剩余", "截止事项"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["项目编号"], row["项目名称"], row["建设单位"], row["阶段"],
                      Text(row["结论"], style=_CONCLUSION_STYLE.get(row["结论"], "")),
                      str(row["违规数"]) if row["违规数"] else "", row["下一截止日期"] or "", _days(row["剩余天数"]),
                      row["截止事项"] or "")
    console.print(table)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["结论"]] = counts.get(row["结论"], 0) + 1
    console.print("　".join(f"{name} {count} 个" for name, count in sorted(counts.items())))


def print_due(console: Console, rows: list[dict], as_of: str, within: int) -> None:
    if not rows:
        console.print(f"{as_of} 起 {within} 天内没有到期的待办。")
        return
    table = Table(title=f"{as_of} 起 {within} 天内到期的待办（{len(rows)} 项）", pad_edge=False)
    for column in ("截止日期", "剩余", "项目编号", "项目名称", "条号", "规则", "摘要"):
        table.add_column(column, overflow="fold")
    for row in rows:
        item = f"（第{row['项']}项）" if row.get("项") else ""
        table.add_row(row["截止日期"], _days(row["剩余天数"]), row["项目编号"], row["项目名称"], row["条号"],
                      row["规则"], row["摘要"] + item)
    console.print(table)


def print_history(console: Console, project_id: str, rows: list[dict]) -> None:
    table = Table(title=f"{project_id} 的变更记录（{len(rows)} 条）", pad_edge=False)
    for column in ("时间", "人员", "来源", "字段", "原值", "新值"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["时间"], row["人员"], row["来源"], row["字段"], _shown(row["原值"]), _shown(row["新值"]))
    console.print(table)


def _shown(value) -> str:
    if value is None:
        return "（未填）"
    if isinstance(value, list):
        return "；".join(_shown(v) for v in value) or "（空）"
    if isinstance(value, dict):
        return "，".join(f"{k}：{format_value(v)}" for k, v in value.items())
    return str(value)


def print_record(console: Console, record: dict, fingerprint: str) -> None:
    table = Table(title="台账记录", pad_edge=False, show_header=False)
    table.add_column("字段")
    table.add_column("值", overflow="fold")
    for path in sorted(record):
        table.add_row(path, _shown(record[path]))
    console.print(table)
    console.print(f"政策指纹：{fingerprint[:16]}")
