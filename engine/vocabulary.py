"""The facts vocabulary: which keys a facts file may hold, read from facts/vocabulary.yaml.

The vocabulary is data. From it come both the pydantic model that validates facts files (facts.py)
and the field names the policy grammar accepts (grammar/), so the two cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import messages
from .errors import FactsError

VALUE_TYPES = ("文本", "是否", "金额", "日期", "期限", "词", "词列表", "日期列表", "年份列表", "记录列表")
DEFAULT_VOCABULARY = Path(__file__).resolve().parent.parent / "facts" / "vocabulary.yaml"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One key of the facts vocabulary, e.g. 合同.签订日期 (类型 日期, read by 第二十八、三十条)."""

    path: str
    type: str
    description: str = ""
    articles: tuple[int, ...] = ()
    words: tuple[str, ...] = ()
    unit: str = ""
    required: bool = False
    event: bool = False
    record_fields: tuple["FieldSpec", ...] = ()

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: models are cached per vocabulary
class Vocabulary:
    source: str
    tree: tuple  # ((name, FieldSpec | subtree), …) in file order, for building nested models
    fields: dict  # path → FieldSpec, every leaf and record-list field

    def get(self, path: str) -> FieldSpec | None:
        return self.fields.get(path)

    def item_field(self, path: str) -> FieldSpec | None:
        """A field of one record of a record list, e.g. 实施.变更.事先申请."""
        head, _, _ = path.rpartition(".")
        record_list = self.fields.get(head)
        if record_list is None or record_list.type != "记录列表":
            return None
        return next((f for f in record_list.record_fields if f.path == path), None)

    def policy_paths(self) -> list[str]:
        """Every name a policy may write: fields, record lists (对每项 实施.变更) and their items' fields."""
        paths = list(self.fields)
        for spec in self.fields.values():
            paths.extend(f.path for f in spec.record_fields)
        return paths


def _spec(path: str, raw: dict, file: str) -> FieldSpec:
    def fail(message: str, hint: str = "") -> FactsError:
        return FactsError("E310", message, file=file, key_path=path, hint=hint)

    unknown = set(raw) - {"类型", "说明", "条", "取值", "单位", "必填", "事件", "字段"}
    if unknown:
        raise fail(f"词汇表字段的设置项「{'、'.join(sorted(unknown))}」无法识别", "可用：类型、说明、条、取值、单位、必填、事件、字段")
    value_type = raw.get("类型")
    if value_type not in VALUE_TYPES:
        raise fail(f"类型「{value_type}」无法识别", f"可用的类型：{'、'.join(VALUE_TYPES)}")
    words = tuple(str(w) for w in raw.get("取值") or ())
    if value_type in ("词", "词列表") and not words:
        raise fail(f"类型为「{value_type}」的字段需要列出「取值」")
    unit = str(raw.get("单位") or "")
    if value_type == "期限" and unit not in ("月", "日"):
        raise fail("类型为「期限」的字段需要写「单位: 月」或「单位: 日」")
    records = ()
    if value_type == "记录列表":
        children = raw.get("字段")
        if not isinstance(children, dict) or not children:
            raise fail("类型为「记录列表」的字段需要在「字段」下列出每条记录的字段")
        records = tuple(_spec(f"{path}.{name}", sub, file) for name, sub in children.items())
    return FieldSpec(
        path=path, type=value_type, description=str(raw.get("说明") or ""),
        articles=tuple(int(a) for a in raw.get("条") or ()), words=words, unit=unit,
        required=raw.get("必填") in (True, "是"),
        # Dates of events and lists of them: absent means "has not happened" (an empty list), not unknown.
        event=value_type in ("日期", "日期列表", "年份列表") and raw.get("事件", True) not in (False, "否"),
        record_fields=records,
    )


def _walk(node: dict, prefix: str, fields: dict, file: str) -> tuple:
    entries = []
    for name, raw in node.items():
        path = f"{prefix}{name}"
        if not isinstance(raw, dict):
            raise FactsError("E310", messages.VOCABULARY_SHAPE, file=file, key_path=path)
        if "类型" in raw:
            spec = _spec(path, raw, file)
            fields[path] = spec
            entries.append((str(name), spec))
        else:
            entries.append((str(name), _walk(raw, f"{path}.", fields, file)))
    return tuple(entries)


def parse_vocabulary(data: dict, source: str) -> Vocabulary:
    fields: dict[str, FieldSpec] = {}
    tree = _walk(data, "", fields, source)
    return Vocabulary(source=source, tree=tree, fields=fields)


@lru_cache(maxsize=8)
def load_vocabulary(path: Path = DEFAULT_VOCABULARY) -> Vocabulary:
    text = Path(path).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return parse_vocabulary(data or {}, str(path))
