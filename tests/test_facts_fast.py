"""The fast validation path reads a right facts file exactly as the pydantic model does, and hands
anything else back to it (so every message about a wrong file is still pydantic's, translated)."""
from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given

from generators import generate_project
from helpers import ROOT
from test_properties import odd_facts
from engine.facts import _flatten, facts_files, facts_model, nest, parse_facts_data, validate_facts
from engine.facts_fast import validate_plain
from engine.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary()


def by_pydantic(data: dict) -> tuple[dict, dict]:
    values: dict = {}
    records: dict = {}
    _flatten(facts_model(VOCABULARY).model_validate(data), VOCABULARY, "", values, records)
    return values, records


def same(fast: tuple[dict, dict], careful: tuple[dict, dict]) -> bool:
    """Equal, in the same order, with values of the same types (1 == True, Decimal('1') == 1)."""
    def typed(maps):
        return [[(key, type(value), repr(value)) for key, value in one.items()] for one in maps]
    return typed(fast) == typed(careful)


@pytest.mark.parametrize("seed", range(0, 400, 7))
@pytest.mark.parametrize("form", ["yaml", "json"])
def test_generated_projects_read_alike(seed, form):
    flat, as_of = generate_project(seed)
    data = nest(flat)
    data["评估日期"] = as_of.isoformat()
    text = json.dumps(data, ensure_ascii=False) if form == "json" else yaml.safe_dump(data, allow_unicode=True)
    data = parse_facts_data(text, "生成.yaml", form == "json")
    fast = validate_plain(data, VOCABULARY)
    assert fast is not None  # a right file takes the fast path
    assert same(fast, by_pydantic(data))


@pytest.mark.parametrize("path", [p for p in facts_files([ROOT / "facts" / "示例", ROOT / "features"])],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_sample_and_feature_files_read_alike(path):
    data = parse_facts_data(path.read_text(encoding="utf-8"), path.name, path.suffix == ".json")
    fast = validate_plain(data, VOCABULARY)
    assert fast is not None and same(fast, by_pydantic(data))


@pytest.mark.parametrize("data", [
    {"项目": {"编号": "X", "名称": "n", "建设单位": "u", "涉秘": "否"}},  # an unknown key
    {"项目": {"编号": "X", "名称": "n"}},  # a required field missing
    {"项目": {"编号": " ", "名称": "n", "建设单位": "u"}},  # blank where a text is required
    {"项目": {"编号": "X", "名称": "n", "建设单位": "u"}, "合同": {"签订日期": "2025-02-30"}},
    {"项目": {"编号": "X", "名称": "n", "建设单位": "u"}, "合同": "2025-01-01"},  # a group that is not one
    {"项目": {"编号": "X", "名称": "n", "建设单位": "u"}, "项目x": {}},
    {"项目": {"编号": "X", "名称": "n", "建设单位": "u", "应用类型": "指挥调度"}},  # a list written as one word
    {"项目": {"编号": "X", "名称": "n", "建设单位": "u"}, "实施": {"变更": [{"日期": "2025-01-01", "内容": "x"}]}},
    {"项目": {"编号": "X", "名称": "n", "建设单位": "u"}, "实施": {"变更": ["2025-01-01"]}},
    {"评估日期": "明天", "项目": {"编号": "X", "名称": "n", "建设单位": "u"}},
])
def test_what_pydantic_refuses_goes_to_pydantic(data):
    assert validate_plain(data, VOCABULARY) is None
    with pytest.raises(Exception):
        facts_model(VOCABULARY).model_validate(data)


def test_a_refused_text_is_not_remembered_and_a_yes_is_not_one():
    base = {"项目": {"编号": "X", "名称": "n", "建设单位": "u"}}
    assert validate_plain({**base, "合同": {"签订日期": "2025-02-30"}}, VOCABULARY) is None
    assert validate_plain({**base, "合同": {"签订日期": "2025-02-30"}}, VOCABULARY) is None
    for secret in ("是", True, "否", False, "是"):
        data = {"项目": {**base["项目"], "涉密": secret}}
        assert same(validate_plain(data, VOCABULARY), by_pydantic(data))
    assert validate_plain({"项目": {**base["项目"], "涉密": 1}}, VOCABULARY) is None  # as pydantic refuses it


@given(odd_facts())
def test_odd_facts_read_alike_or_go_to_pydantic(data):
    fast = validate_plain(data, VOCABULARY)
    if fast is None:
        return
    assert same(fast, by_pydantic(data))
    facts = validate_facts(data, VOCABULARY, "随机.yaml")
    assert (facts.values, facts.records) == fast
