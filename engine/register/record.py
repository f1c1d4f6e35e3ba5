"""A project's record as the register keeps it: a flat map from key path to the value written the
way staff write it (680万元, 2025-04-20, 是, [建设依据, 建设内容]), stored as JSON text.

Facts files, Excel rows and form edits all pass through the facts validator (engine/facts.py), and
what is stored is the validated value written back as text, so 6800000元 and 680万元 are one value
and a re-import that changes nothing records nothing. A stored record is turned back into facts by
the same validator, so the register can never hold what a facts file could not.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from ..facts import ProjectFacts, nest, validate_facts
from ..values import Duration, format_money
from ..vocabulary import Vocabulary

Record = dict[str, Any]  # key path → text, list of texts, or (for a record list) list of {field: text}
NOT_STORED = frozenset({"评估日期"})  # the as-of date belongs to an evaluation, not to the project

# A project's stage: the last step of the regulation's sequence whose date (or result) is recorded.
STAGES = (
    ("评审", "评审.需求评审.日期"), ("立项", "立项.日期"), ("预算", "预算.批复日期"),
    ("采购", "采购.中标通知书日期"), ("合同", "合同.签订日期"), ("实施", "实施.开工日期"),
    ("验收", "验收.竣工验收日期"), ("评价", "评价.绩效评价结果"),
)
NO_STAGE = "储备"
LIST_SEPARATORS = ("、", "，", ",", "；", ";")
EMPTY_LIST = ("无", "（无）", "（空）")  # a list known to be empty, e.g. 项目.应用类型 when none applies


def as_text(value: Any) -> Any:
    """A validated value as staff write it."""
    match value:
        case bool():
            return "是" if value else "否"
        case Decimal():
            return format_money(value)
        case dt.date():
            return value.isoformat()
        case Duration():
            return str(value)
        case frozenset() | list() | tuple():
            return sorted(as_text(v) for v in value)
        case dict():
            return {k: as_text(v) for k, v in value.items()}
        case _:
            return str(value)


def record_of(facts: ProjectFacts) -> Record:
    record = {path: as_text(v) for path, v in facts.values.items() if path not in NOT_STORED}
    record.update({path: [as_text(item) for item in items] for path, items in facts.records.items()})
    return record


def facts_of(record: Record, vocabulary: Vocabulary, display: str) -> ProjectFacts:
    """The facts of a stored record, validated like a facts file."""
    return validate_facts(nest(record), vocabulary, display)


def encode(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def stage_of(record: Record) -> str:
    reached = [name for name, path in STAGES if record.get(path) is not None]
    return reached[-1] if reached else NO_STAGE


def split_list(text: str) -> list[str]:
    """A list as written in a cell or on the command line: 建设依据、建设内容 (or with ，, ; …);
    无 is the empty list, which differs from leaving the field unknown."""
    if text.strip() in EMPTY_LIST:
        return []
    for separator in LIST_SEPARATORS[1:]:
        text = text.replace(separator, LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(LIST_SEPARATORS[0]) if part.strip()]


def join_list(values: list) -> str:
    return LIST_SEPARATORS[0].join(str(v) for v in values) if values else EMPTY_LIST[0]
