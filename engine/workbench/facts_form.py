"""The 试算 form of the workbench: a project's facts entered field by field, without writing YAML.

Three conversions, all driven by the facts vocabulary (facts/vocabulary.yaml) so the form cannot
drift from the facts model:
- `form_layout`: the vocabulary as the page draws it — one section per stage (the vocabulary's
  top-level groups, in file order), each field with its type, allowed words, description and
  whether it is required; record lists (实施.变更, 监督.整改通知, …) with the fields of one record.
  The top-level 评估日期 is not a field of any stage: the page has one 评估日期 for the whole form.
- `form_values`: a facts file's tree → the form's values (every value the text staff wrote), so an
  uploaded file or a sample fills the form.
- `facts_file_text`: the form's values → a facts file (YAML) that `cli.py eval` loads, written only
  after the facts model accepted the values.
The form's values are key paths (合同.签订日期) mapped to text, to a list of texts (词列表, 日期列表,
年份列表) or, for a record list, to a list of records (field name → text).
"""
from __future__ import annotations

from typing import Any

import yaml

from ..errors import FactsError, FactsErrors
from ..facts import flatten, nest, validate_facts
from ..values import parse_date
from ..vocabulary import FieldSpec, Vocabulary

AS_OF = "评估日期"
FILE_HEADER = "# 项目事实文件，由政策工作台的试算表单保存；可用 python3 cli.py eval 评估，也可在工作台中载入。\n"


def _field_json(spec: FieldSpec, subgroup: str = "") -> dict:
    field = {"字段": spec.path, "名称": spec.name, "类型": spec.type, "取值": list(spec.words), "单位": spec.unit,
             "说明": spec.description, "必填": spec.required, "条": list(spec.articles)}
    if subgroup:
        field["小组"] = subgroup
    if spec.type == "记录列表":
        field["记录字段"] = [_field_json(item) for item in spec.record_fields]
    return field


def _stage_fields(tree: tuple, subgroup: str = "") -> list[dict]:
    fields = []
    for name, node in tree:
        if isinstance(node, FieldSpec):
            fields.append(_field_json(node, subgroup))
        else:
            fields.extend(_stage_fields(node, f"{subgroup}.{name}" if subgroup else name))
    return fields


def form_layout(vocabulary: Vocabulary) -> dict:
    """The form's sections: {"评估日期": field, "阶段": [{"阶段": 评审, "字段": [...]}, …]}."""
    stages, as_of = [], None
    for name, node in vocabulary.tree:
        if isinstance(node, FieldSpec):
            if name == AS_OF:
                as_of = _field_json(node)
            else:  # a top-level field other than 评估日期 (a county's vocabulary may add one): its own section
                stages.append({"阶段": name, "字段": [_field_json(node)]})
        else:
            stages.append({"阶段": name, "字段": _stage_fields(node)})
    return {"评估日期": as_of, "阶段": stages}


def _scalar(value: Any) -> str | None:
    # plain_data gives every scalar as text; a JSON file may hold numbers or true/false.
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _form_text(spec: FieldSpec | None, value: Any) -> str | None:
    """A scalar as the form shows it; a date as 2025-01-24 (a date box shows no other spelling)."""
    text = _scalar(value)
    if text is not None and spec is not None and spec.type == "日期":
        try:
            return parse_date(text).isoformat()
        except ValueError:
            return text  # the facts model names it at its field
    return text


def form_values(data: dict, vocabulary: Vocabulary) -> dict[str, Any]:
    """A facts file's tree → the form's values. What the form has no place for (an unknown key, a
    list where a date belongs) is left out; validating the same tree names it with its key path."""
    values: dict[str, Any] = {}
    for path, raw in flatten(data).items():
        spec = vocabulary.get(path)
        if spec is None or raw is None:
            continue
        if spec.type == "记录列表":
            if isinstance(raw, list):
                items = {item.name: item for item in spec.record_fields}
                values[path] = [{name: text for name, value in record.items()
                                 if (text := _form_text(items.get(name), value)) is not None}
                                for record in raw if isinstance(record, dict)]
        elif spec.type in ("词列表", "日期列表", "年份列表"):
            listed = raw if isinstance(raw, list) else [raw]
            values[path] = [text for item in listed if (text := _scalar(item)) is not None]
        elif (text := _form_text(spec, raw)) is not None:
            values[path] = text
    return values


def form_tree(values: dict[str, Any], as_of: str | None) -> dict:
    """The form's values as a facts file's tree. A blank value is left out (absent means unknown);
    an empty list is kept: for a 词列表 it says "none of these words" (应用类型: []), which is known."""
    kept: dict[str, Any] = {AS_OF: as_of} if as_of else {}
    for path, value in values.items():
        if value in ("", None):
            continue
        if isinstance(value, list) and value:
            items = [{k: v for k, v in item.items() if v not in ("", None)} if isinstance(item, dict) else item
                     for item in value]
            value = [item for item in items if item not in ("", None, {})]
            if not value:
                continue  # only blank records or words: nothing was said
        kept[path] = value
    return nest(kept)


def error_entries(error: FactsError | FactsErrors) -> list[dict]:
    """A facts file's mistakes as the form shows them at their fields: key path, line, message, hint."""
    errors = error.errors if isinstance(error, FactsErrors) else [error]
    return [{"键": item.key_path, "行": item.line, "信息": item.message, "提示": item.hint, "文字": item.render()}
            for item in errors]


def facts_file_text(values: dict[str, Any], as_of: str | None, vocabulary: Vocabulary) -> str:
    """The form as a facts file, in the vocabulary's order, dates written as dates. Raises
    FactsErrors (with key paths) when the facts model does not accept the values."""
    tree = form_tree(values, as_of)
    validate_facts(tree, vocabulary, "表单")
    flat = flatten(tree)
    ordered = {path: _typed(vocabulary.get(path), flat[path]) for path in vocabulary.fields if path in flat}
    return FILE_HEADER + yaml.dump(nest(ordered), Dumper=_FactsDumper, allow_unicode=True, sort_keys=False, width=1000)


def _typed(spec: FieldSpec, value: Any) -> Any:
    """Dates as dates (written 2025-04-20, not quoted); everything else as the text staff typed."""
    if spec.type == "日期":
        return parse_date(value)
    if spec.type == "日期列表":
        return [parse_date(item) for item in value]
    if spec.type == "记录列表":
        dates = {item.name for item in spec.record_fields if item.type == "日期"}
        return [{name: parse_date(text) if name in dates else text for name, text in record.items()} for record in value]
    return value


class _FactsDumper(yaml.SafeDumper):
    """Lists of words on one line ([建设依据, 建设内容]) as the samples write them; records as blocks."""


def _represent_list(dumper: yaml.SafeDumper, items: list) -> yaml.Node:
    flow = all(not isinstance(item, (dict, list)) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_FactsDumper.add_representer(list, _represent_list)
