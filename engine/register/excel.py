"""The bureau's Excel 台账, read and written with openpyxl: one row per project, one column per
vocabulary field, headed by its key path (合同.签订日期; 合同签订日期 or a leaf name that is unique,
like 签订日期, are read too). Dates may be Excel dates or text; amounts 680万元 or a number of 元.

A row speaks only for the columns the sheet has, so a workbook with a dozen columns updates those
and leaves the rest of each record alone. The export adds what the tool concluded (阶段, 结论, the
open 违规, the next deadline and days left) and is laid out for printing; those columns, and any
headed 备注…, are skipped when the workbook is read back.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import FactsError, FactsErrors, ToolError, UsageError, display_width, relative_name
from ..facts import nest, validate_facts
from ..text import did_you_mean
from ..vocabulary import FieldSpec, Vocabulary
from .evaluation import Judged
from .record import NOT_STORED, join_list, record_of, split_list
from .sources import SourceRow

SHEET = "台账"
KEY_COLUMNS = ("项目.编号", "项目.名称", "项目.建设单位")
COMPUTED = ("阶段", "结论", "违规数", "违规", "下一截止日期", "剩余天数", "截止事项")
IGNORED_PREFIXES = ("备注", "#")
MAX_WIDTH = 48  # display columns; longer text wraps
_CONCLUSION_FILL = {"不合规": "F8CBAD", "信息不全": "DDEBF7", "合规": "E2EFDA", "不适用": "EDEDED"}


class CellError(ToolError):
    """A bad cell of a workbook: file:row:column, the field, what to write instead."""

    def __init__(self, code: str, message: str, *, file: str, row: int, column: str, field: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.code, self.file, self.row, self.column, self.field = code, file, row, column, field

    def render(self) -> str:
        where = f"{self.file}:{self.row}:{self.column}"
        text = f"{where}: 错误[{self.code}]: " + (f"「{self.field}」" if self.field else "") + self.message
        return f"{text}\n  = 提示: {self.hint}" if self.hint else text


def columns(vocabulary: Vocabulary) -> list[FieldSpec]:
    """The fields a workbook can hold: every field but the as-of date and record lists (实施.变更,
    监督.整改通知: a list of records does not fit in a cell; they come from facts files)."""
    specs = [s for p, s in vocabulary.fields.items() if p not in NOT_STORED and s.type != "记录列表"]
    return sorted(specs, key=lambda s: (s.path not in KEY_COLUMNS, KEY_COLUMNS.index(s.path) if s.path in KEY_COLUMNS else 0))


def _header_names(vocabulary: Vocabulary) -> dict[str, str]:
    specs = columns(vocabulary)
    leaves: dict[str, list[str]] = {}
    for spec in specs:
        leaves.setdefault(spec.name, []).append(spec.path)
    names = {spec.path: spec.path for spec in specs}
    names.update({spec.path.replace(".", ""): spec.path for spec in specs})
    names.update({leaf: paths[0] for leaf, paths in leaves.items() if len(paths) == 1})
    return names


def _cell_text(value: Any, spec: FieldSpec) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if spec.type.endswith("列表"):
        return split_list(str(value))
    if spec.type == "金额" and isinstance(value, (int, float)):
        return value  # a number of 元
    return str(value).strip()


def read_workbook(path: Path, vocabulary: Vocabulary) -> tuple[list[SourceRow], list[ToolError]]:
    display = relative_name(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise UsageError(f"{display}: 无法作为 Excel 台账打开（{error}）", hint="请用 Excel 或 WPS 另存为 .xlsx 后再导入") from None
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = _header_names(vocabulary)
    wanted: dict[int, FieldSpec] = {}
    errors: list[ToolError] = []
    for index, title in enumerate(header):
        title = str(title).strip() if title is not None else ""
        if not title or title in COMPUTED or title.startswith(IGNORED_PREFIXES):
            continue
        if title not in names:
            close = did_you_mean(title, list(names))
            errors.append(CellError("E602", f"列名「{title}」不是事实词汇表中的字段", file=display, row=1,
                                    column=get_column_letter(index + 1),
                                    hint=(f"是不是「{'」或「'.join(close)}」？" if close else "列名写字段的键路径，如 合同.签订日期")
                                    + "；不需要导入的列，列名以「备注」开头"))
            continue
        wanted[index] = vocabulary.get(names[title])
    by_path = {spec.path: index for index, spec in wanted.items()}
    for required in KEY_COLUMNS:
        if required not in by_path:
            errors.append(CellError("E603", f"台账缺少「{required}」列", file=display, row=1, column="",
                                    hint="第一行是列名，每个项目至少要有项目.编号、项目.名称、项目.建设单位三列"))
    if errors:
        book.close()
        return [], errors
    found: list[SourceRow] = []
    fields = frozenset(by_path)
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        flat = {}
        for index, spec in wanted.items():
            text = _cell_text(values[index] if index < len(values) else None, spec)
            if text is not None:
                flat[spec.path] = text
        try:
            facts = validate_facts(nest(flat), vocabulary, f"{display}:{number}")
        except (FactsError, FactsErrors) as error:
            column_of = lambda bad: by_path.get(bad.key_path.split("[")[0])  # noqa: E731
            for bad in sorted(error.errors if isinstance(error, FactsErrors) else [error],
                              key=lambda bad: (column_of(bad) is None, column_of(bad) or 0)):
                index = column_of(bad)
                errors.append(CellError(bad.code, bad.message, file=display, row=number,
                                        column=get_column_letter(index + 1) if index is not None else "",
                                        field=bad.key_path, hint=bad.hint or _what_to_write(vocabulary.get(bad.key_path))))
            continue
        found.append(SourceRow(f"{display}:{number}", facts.project_id, record_of(facts), fields))
    book.close()
    return found, errors


def _what_to_write(spec: FieldSpec | None) -> str:
    if spec is None:
        return ""
    return {"日期": "写 Excel 日期，或 2025-01-24、2025年1月24日", "金额": "写 680万元、6800000元，或元为单位的数字",
            "是否": "写 是 或 否", "期限": "写 18个月、3年 或 10个工作日"}.get(spec.type, "")


def _excel_value(value: Any, spec: FieldSpec) -> Any:
    if value is None:
        return None
    if spec.type == "日期":
        return dt.date.fromisoformat(value)
    if isinstance(value, list):
        return join_list(value)
    return value


def write_workbook(path: Path, judged: list[Judged], dashboard: list[dict], vocabulary: Vocabulary,
                   as_of: dt.date, policy_name: str) -> None:
    """The 台账 for printing: frozen header and key columns, a filter on every column, widths that
    fit Chinese text, conclusions shaded; a second sheet says when and by which policy."""
    specs = columns(vocabulary)
    views = {row["项目编号"]: row for row in dashboard}
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    headers = [s.path for s in specs[:3]] + list(COMPUTED) + [s.path for s in specs[3:]]
    sheet.append(headers)
    for item in judged:
        view = views.get(item.project_id, {})
        computed = [view.get("阶段"), view.get("结论"), view.get("违规数"), "\n".join(view.get("违规", [])) or None,
                    dt.date.fromisoformat(view["下一截止日期"]) if view.get("下一截止日期") else None,
                    view.get("剩余天数"), view.get("截止事项")]
        cells = [_excel_value(item.record.get(s.path), s) for s in specs]
        sheet.append(cells[:3] + computed + cells[3:])
    _lay_out(sheet, headers, {s.path: s for s in specs})
    notes = book.create_sheet("说明")
    for line in (("评估日期", as_of), ("办法", policy_name), ("项目数", len(judged)),
                 ("说明", "结论、违规、下一截止日期等列由本工具计算，重新导入时不读取；以「备注」开头的列也不读取。")):
        notes.append(line)
    notes["B1"].number_format = "yyyy-mm-dd"
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 12, 80
    temporary = path.with_name(path.name + ".tmp")
    book.save(temporary)
    temporary.replace(path)  # atomic: an existing export is replaced whole or not at all


def _lay_out(sheet, headers: list[str], specs: dict[str, FieldSpec]) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="D9E1F2")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    conclusion_column = headers.index("结论") + 1
    for index, title in enumerate(headers, start=1):
        letter = get_column_letter(index)
        width = display_width(title)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
                width = max(width, 10)
            elif cell.value is not None:
                width = max(width, max(display_width(line) for line in str(cell.value).split("\n")))
                if isinstance(cell.value, str) and ("\n" in cell.value or display_width(cell.value) > MAX_WIDTH):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            if index == conclusion_column and cell.value in _CONCLUSION_FILL:
                cell.fill = PatternFill("solid", fgColor=_CONCLUSION_FILL[cell.value])
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = "D2"  # header row and 编号、名称、建设单位 stay in view
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
