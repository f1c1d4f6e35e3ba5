"""Facts files: one project per YAML (or JSON) file, validated against the vocabulary.

Stage: file text → safe YAML/JSON data → pydantic model built from the vocabulary → ProjectFacts,
a flat map from key path (合同.签订日期) to a typed value. Absent keys stay absent: absent means
unknown (未填), never "no". Every mistake becomes a FactsError with the key path and line.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml

from . import messages
from .errors import FactsError, FactsErrors, relative_name
from .facts_fast import MAX_RECORDS, validate_plain
from .facts_yaml import read_facts_yaml
from .field_checks import LIST_TYPES, value_checker
from .plain_data import read_data_text, read_json
from .text import did_you_mean
from .values import Duration
from .vocabulary import FieldSpec, Vocabulary

MAX_FACTS_BYTES = 1_000_000
FACTS_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """One project's validated facts. `values` maps key paths to typed values; `records` maps a
    record-list path (实施.变更) to its items, each a map from field name to typed value."""

    file: str
    values: dict[str, Any]
    records: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)

    @property
    def project_id(self) -> str:
        return str(self.values.get("项目.编号", ""))

    @property
    def as_of(self) -> dt.date | None:
        return self.values.get("评估日期")


def _python_type(spec: FieldSpec):
    """The field's type for pydantic: the value type, checked by field_checks' function for it."""
    from pydantic import BeforeValidator
    if spec.type == "记录列表":
        records = list[_model(f"记录_{spec.path}", tuple((f.name, f) for f in spec.record_fields))]
        return Annotated[records, BeforeValidator(_few_records)]  # before any record is validated
    value_type = {"文本": str, "是否": bool, "金额": Decimal, "日期": dt.date, "期限": Duration, "词": str,
                  "词列表": str, "日期列表": dt.date, "年份列表": int}[spec.type]
    checked = Annotated[value_type, BeforeValidator(value_checker(spec))]
    return list[checked] if spec.type in LIST_TYPES else checked


def _few_records(value: Any) -> Any:
    if isinstance(value, list) and len(value) > MAX_RECORDS:
        raise ValueError(messages.TOO_MANY_RECORDS.format(count=len(value), limit=MAX_RECORDS))
    return value


def _model(name: str, tree: tuple):
    # pydantic is imported only when a model is built: a portfolio of right files never needs it (facts_fast)
    from pydantic import ConfigDict, create_model
    fields = {}
    for key, node in tree:
        if isinstance(node, FieldSpec):
            annotation = _python_type(node)
            fields[key] = (annotation, ...) if node.required else (annotation | None, None)
        else:
            # A group holding a required field (项目: 编号, 名称, 建设单位) is required itself: a
            # file without it ({}, or only 评估日期) says nothing about any project.
            group = _model(f"{name}_{key}", node)
            fields[key] = (group, ...) if _required_fields(node) else (group | None, None)
    config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, hide_input_in_errors=True)
    return create_model(name.replace(".", "_"), __config__=config, **fields)


def _required_fields(tree: tuple) -> list[str]:
    found = []
    for key, node in tree:
        if isinstance(node, FieldSpec):
            found.extend([key] if node.required else [])
        else:
            found.extend(f"{key}.{name}" for name in _required_fields(node))
    return found


@lru_cache(maxsize=8)
def facts_model(vocabulary: Vocabulary):
    """The pydantic model for a whole facts file, built from the vocabulary."""
    return _model("项目事实", vocabulary.tree)


def _fields_of(model) -> dict[str, Any]:
    """A validated model's set fields, keeping typed values (model_dump would turn a Duration into a dict)."""
    return {name: getattr(model, name) for name in type(model).model_fields if getattr(model, name) is not None}


def _flatten(model, vocabulary: Vocabulary, prefix: str, values: dict, records: dict) -> None:
    for key, value in _fields_of(model).items():
        path = f"{prefix}{key}"
        spec = vocabulary.get(path)
        if spec is None:
            _flatten(value, vocabulary, f"{path}.", values, records)
        elif spec.type == "记录列表":
            records[path] = tuple(_fields_of(item) for item in value)
        elif spec.type in LIST_TYPES:
            values[path] = frozenset(value)
        else:
            values[path] = value


def read_facts_text(path: Path, display: str | None = None) -> str:
    return read_data_text(path, MAX_FACTS_BYTES, display=display)


def parse_facts_data(text: str, display: str, is_json: bool) -> dict:
    """The file's tree (plain_data refuses aliases, repeated keys, runaway nesting); every scalar
    stays the text staff typed, and the vocabulary's own parsers decide what it means."""
    data = read_json(text, display) if is_json else read_facts_yaml(text, display)
    if data is None:
        raise FactsError("E306", messages.EMPTY_FACTS, file=display)
    if not isinstance(data, dict):
        raise FactsError("E307", messages.NOT_A_MAPPING, file=display)
    return data


def validate_facts(data: dict, vocabulary: Vocabulary, display: str, text: str = "") -> ProjectFacts:
    plain = validate_plain(data, vocabulary)  # a right file, read without pydantic (about 4× faster)
    if plain is not None:
        return ProjectFacts(file=display, values=plain[0], records=plain[1])
    from pydantic import ValidationError
    try:
        model = facts_model(vocabulary).model_validate(data)
    except ValidationError as exc:
        raise FactsErrors([_translate(err, vocabulary, display, text) for err in exc.errors()]) from None
    except RecursionError:
        raise FactsError("E305", messages.TOO_DEEP, file=display) from None
    values: dict[str, Any] = {}
    records: dict[str, tuple] = {}
    _flatten(model, vocabulary, "", values, records)
    return ProjectFacts(file=display, values=values, records=records)


def load_facts(path: Path, vocabulary: Vocabulary, display: str | None = None) -> ProjectFacts:
    """`display`: the name messages show for the file, if the caller has it (relative_name's)."""
    display = display or relative_name(path)
    return facts_from_text(read_facts_text(path, display), vocabulary, display, path.suffix.lower() == ".json")


def facts_from_text(text: str, vocabulary: Vocabulary, display: str, is_json: bool) -> ProjectFacts:
    return validate_facts(parse_facts_data(text, display, is_json), vocabulary, display, text)


def _translate(error: dict, vocabulary: Vocabulary, display: str, text: str) -> FactsError:
    loc = tuple(error["loc"])
    key_path = ".".join(str(part) if not isinstance(part, int) else f"[{part}]" for part in loc).replace(".[", "[")
    line = _line_of(text, loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = ".".join(str(p) for p in loc[:-1] if not isinstance(p, int))
        siblings = [p.rsplit(".", 1)[-1] for p in vocabulary.fields if p.rsplit(".", 1)[0] == parent]
        siblings += [name for name, _ in _subtree(vocabulary, parent)]
        close = did_you_mean(str(loc[-1]), siblings)
        return FactsError("E320", messages.UNKNOWN_KEY, file=display, key_path=key_path, line=line,
                          hint=messages.unknown_key_hint(close, parent))
    group = _subtree_at(vocabulary, key_path) if vocabulary.get(key_path) is None else None
    if group is not None and (kind == "missing" or error.get("input", "") is None):
        return FactsError("E322", messages.MISSING_GROUP.format(group=key_path, fields="、".join(_required_fields(group))),
                          file=display, key_path=key_path, line=line)
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return FactsError("E321", message, file=display, key_path=key_path, line=line)
    return FactsError("E322", messages.pydantic_message(kind), file=display, key_path=key_path, line=line)


def _subtree_at(vocabulary: Vocabulary, path: str) -> tuple | None:
    node = vocabulary.tree
    for part in path.split("."):
        found = dict(node).get(part)
        if not isinstance(found, tuple):
            return None
        node = found
    return node


def _subtree(vocabulary: Vocabulary, parent: str) -> tuple:
    node = vocabulary.tree
    for part in filter(None, parent.split(".")):
        found = dict(node).get(part)
        if not isinstance(found, tuple):
            return ()
        node = found
    return tuple(entry for entry in node if isinstance(entry[1], tuple))


def _line_of(text: str, loc: tuple) -> int | None:
    """The line of a key path, found again by composing the YAML with marks (only on the error
    path: the fast loader keeps no positions)."""
    if not text:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except Exception:  # noqa: BLE001 - an unreadable file has no lines to point at
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def facts_files(paths: list[Path]) -> list[Path]:
    """Files named on the command line, with a folder standing for every facts file inside it."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in FACTS_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def nest(flat: dict[str, Any]) -> dict:
    """{'合同.签订日期': '2025-04-20'} → {'合同': {'签订日期': '2025-04-20'}}: how tests and feature
    tables write a project as key paths."""
    nested: dict = {}
    for path, value in flat.items():
        node = nested
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return nested


def flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    """The inverse of nest: {'合同': {'签订日期': …}} → {'合同.签订日期': …}. Lists (of words or of
    records) are leaves."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat
