"""What an import reads: facts files (one complete project each) and Excel workbooks (a row per
project, speaking only for its columns), each turned into validated records before anything is
written. Mistakes are collected, not raised one at a time, so one run names every bad row."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import FactsError, FactsErrors, ToolError, UsageError, relative_name
from ..facts import FACTS_SUFFIXES, facts_files, parse_facts_data, read_facts_text, validate_facts
from ..vocabulary import Vocabulary
from .record import Record, record_of

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
MAX_REPORTED = 20


@dataclass(frozen=True, slots=True)
class SourceRow:
    origin: str  # the file, or file:row for a workbook
    project_id: str
    record: Record
    fields: frozenset[str] | None  # the fields this row speaks for; None: all (a complete facts file)


class ImportErrors(ToolError):
    """Every bad file or row of one import; nothing was written."""

    code = "E600"

    def __init__(self, errors: list[ToolError], skipped: bool = False) -> None:
        self.errors = errors
        self.skipped = skipped
        super().__init__(errors[0].message if errors else "")

    def render(self) -> str:
        shown = [e.render() for e in self.errors[:MAX_REPORTED]]
        if len(self.errors) > MAX_REPORTED:
            shown.append(f"……另有 {len(self.errors) - MAX_REPORTED} 处错误")
        if self.skipped:
            shown.append(f"已跳过以上 {len(self.errors)} 处有错的文件或行，其余已导入。")
        else:
            shown.append("没有导入任何项目：改正以上错误后重新导入，或加 --skip-bad 只导入没有错的文件和行。")
        return "\n".join(shown)


def read_sources(paths: list[Path], vocabulary: Vocabulary) -> tuple[list[SourceRow], list[ToolError]]:
    rows: list[SourceRow] = []
    errors: list[ToolError] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"找不到 {relative_name(path)}", hint="给出事实文件、包含事实文件的文件夹，或 .xlsx 台账")
        if path.is_file() and path.suffix.lower() in EXCEL_SUFFIXES:
            from .excel import read_workbook  # openpyxl is imported only when a workbook is read
            found, bad = read_workbook(path, vocabulary)
            rows.extend(found)
            errors.extend(bad)
            continue
        if path.is_file() and path.suffix.lower() not in FACTS_SUFFIXES:
            raise UsageError(f"{relative_name(path)} 不是事实文件或 Excel 台账",
                             hint="可导入 .yaml、.yml、.json 事实文件、包含它们的文件夹，或 .xlsx 台账")
        for file in facts_files([path]):
            try:
                rows.append(read_facts_file(file, vocabulary))
            except (FactsError, FactsErrors) as error:
                errors.append(error)
    if not rows and not errors:
        raise UsageError("没有找到可导入的事实文件或台账行", hint="给出 .yaml、.yml、.json 事实文件、包含它们的文件夹，或 .xlsx 台账")
    seen: set[str] = set()
    unique = [row for row in rows if not (row.project_id in seen or seen.add(row.project_id))]
    return unique, errors + duplicates(rows)


def read_facts_file(path: Path, vocabulary: Vocabulary) -> SourceRow:
    display = relative_name(path)
    text = read_facts_text(path)
    facts = validate_facts(parse_facts_data(text, display, path.suffix.lower() == ".json"), vocabulary, display, text)
    return SourceRow(display, facts.project_id, record_of(facts), None)


def duplicates(rows: list[SourceRow]) -> list[ToolError]:
    first: dict[str, str] = {}
    errors: list[ToolError] = []
    for row in rows:
        if row.project_id in first:
            errors.append(FactsError("E601", f"项目编号 {row.project_id} 已在 {first[row.project_id]} 出现过",
                                     file=row.origin, key_path="项目.编号",
                                     hint="同一次导入中每个项目只能出现一次；改正编号，或分两次导入"))
        else:
            first[row.project_id] = row.origin
    return errors
