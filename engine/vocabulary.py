"""The facts vocabulary: which keys a facts file may hold, read from facts/vocabulary.yaml.

The vocabulary is data. From it come both the pydantic model that validates facts files (facts.py)
and the field names the policy grammar accepts (grammar/), so the two cannot drift apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import messages
from .errors import FactsError, relative_name
from .package_data import VOCABULARY_FILE
from .plain_data import read_data_text, read_yaml
from .language import FACT_TYPES
from .values import parse_yes_no

VALUE_TYPES = FACT_TYPES  # the types a facts field may have (engine/language.py)
DEFAULT_VOCABULARY = VOCABULARY_FILE
MAX_VOCABULARY_BYTES = 1_000_000


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
    words = _words(raw.get("取值"), fail)
    if value_type in ("词", "词列表") and not words:
        raise fail(f"类型为「{value_type}」的字段需要列出「取值」")
    unit = _text(raw, "单位", fail)
    if value_type == "期限" and unit not in ("月", "日"):
        raise fail("类型为「期限」的字段需要写「单位: 月」或「单位: 日」")
    records = ()
    if value_type == "记录列表":
        children = raw.get("字段")
        if not isinstance(children, dict) or not children:
            raise fail("类型为「记录列表」的字段需要在「字段」下列出每条记录的字段")
        for name, sub in children.items():
            _check_name(name, f"{path}.{name}", file)
            if not isinstance(sub, dict) or "类型" not in sub:
                raise FactsError("E310", messages.VOCABULARY_SHAPE, file=file, key_path=f"{path}.{name}")
        records = tuple(_spec(f"{path}.{name}", sub, file) for name, sub in children.items())
    return FieldSpec(
        path=path, type=value_type, description=_text(raw, "说明", fail),
        articles=_articles(raw.get("条"), fail), words=words, unit=unit,
        required=_flag(raw, "必填", False, fail),
        # Dates of events and lists of them: absent means "has not happened" (an empty list), not unknown.
        event=value_type in ("日期", "日期列表", "年份列表") and _flag(raw, "事件", True, fail),
        record_fields=records,
    )


def _text(raw: dict, key: str, fail) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fail(messages.VOCABULARY_TEXT.format(key=key))
    return value


def _flag(raw: dict, key: str, default: bool, fail) -> bool:
    value = raw.get(key)
    if value is None:
        return default
    try:
        return parse_yes_no(value)
    except ValueError:
        raise fail(messages.VOCABULARY_FLAG.format(key=key)) from None


def _words(value, fail) -> tuple[str, ...]:
    """取值: a list of words. A single word written without brackets would otherwise be read
    character by character."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(word, str) and word.strip() for word in value):
        raise fail(messages.VOCABULARY_WORDS)
    return tuple(value)


def _articles(value, fail) -> tuple[int, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, (str, int)) and _ARTICLE_NUMBER.fullmatch(str(item)) for item in items):
        raise fail(messages.VOCABULARY_ARTICLES)
    return tuple(int(item) for item in items)


_ARTICLE_NUMBER = re.compile(r"[1-9][0-9]{0,3}")
# A field becomes an attribute of a pydantic model: names it reserves or treats as private, and
# characters the policy language or key paths give a meaning, cannot be field names.
_NAME_CHARACTERS = re.compile(r"[\s.【】“”「」\"'#：:（）()\[\]{}]")


def _is_model_attribute(name: str) -> bool:
    """A name pydantic's models already use. Only an ASCII name can be one, and asking only then
    keeps pydantic (~60 ms to import) out of a start that validates every file without it."""
    from pydantic import BaseModel
    return hasattr(BaseModel, name)


def _check_name(name: str, path: str, file: str) -> None:
    if not name:
        reason = "不能为空"
    elif name.startswith("_"):
        reason = "不能以「_」开头"
    elif name.startswith("model_") or (name.isascii() and _is_model_attribute(name)):
        reason = "这是校验程序保留的名字"
    elif _NAME_CHARACTERS.search(name):
        reason = f"含有「{_NAME_CHARACTERS.search(name).group()}」"
    else:
        return
    raise FactsError("E310", messages.VOCABULARY_NAME.format(name=name, reason=reason), file=file, key_path=path,
                     hint=messages.VOCABULARY_NAME_HINT)


def _walk(node: dict, prefix: str, fields: dict, file: str) -> tuple:
    entries = []
    for name, raw in node.items():
        path = f"{prefix}{name}"
        _check_name(name, path, file)
        if not isinstance(raw, dict):
            raise FactsError("E310", messages.VOCABULARY_SHAPE, file=file, key_path=path)
        if "类型" in raw:
            spec = _spec(path, raw, file)
            fields[path] = spec
            entries.append((name, spec))
        else:
            entries.append((name, _walk(raw, f"{path}.", fields, file)))
    return tuple(entries)


def parse_vocabulary(data, source: str) -> Vocabulary:
    """`data` is the file's tree as plain_data reads it: every scalar a string."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FactsError("E310", messages.VOCABULARY_TOP, file=source)
    fields: dict[str, FieldSpec] = {}
    tree = _walk(data, "", fields, source)
    return Vocabulary(source=source, tree=tree, fields=fields)


def read_vocabulary_data(path: Path) -> dict | None:
    """A vocabulary file's tree, read like a facts file (aliases and repeated keys refused)."""
    display = relative_name(path)
    return read_yaml(read_data_text(path, MAX_VOCABULARY_BYTES, "词汇文件"), display)


@lru_cache(maxsize=8)
def load_vocabulary(path: Path = DEFAULT_VOCABULARY) -> Vocabulary:
    return parse_vocabulary(read_vocabulary_data(Path(path)), str(path))
