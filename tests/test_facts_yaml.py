"""The fast YAML reader builds exactly what plain_data.read_yaml does, and hands everything that is
not a plain document back to it (so every refusal and message of the careful reader still applies)."""
from __future__ import annotations

import pytest

from helpers import ROOT
from engine.errors import FactsError
from engine.facts import facts_files
from engine.facts_yaml import NOT_PLAIN, read_facts_yaml, read_plain_yaml
from engine.plain_data import read_yaml


@pytest.mark.parametrize("path", [p for p in facts_files([ROOT / "facts", ROOT / "features"]) if p.suffix == ".yaml"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_same_tree_as_the_careful_reader_on_every_yaml_file(path):
    text = path.read_text(encoding="utf-8")
    fast = read_plain_yaml(text)
    assert fast is not NOT_PLAIN and fast == read_yaml(text, path.name)


@pytest.mark.parametrize("text", [
    "项目:\n  名称: 甲\n  编号: ''\n合同:\n  签订日期: ~\n  金额: null\n  备注: 'null'\n  说明: \"~\"\n",
    "实施:\n  变更:\n    - 日期: 2025-01-01\n      内容: [a, 'b', \"c\"]\n    - {日期: 2025-02-01}\n    - []\n",
    "~: 1\nnull: 2\n'': 3\n<<: 4\n",  # keys keep their text
    "a: |\n  两行\n  文字\n",
    "", "# 只有注释\n", "- 1\n- 2\n", "纯文字",
])
def test_plain_documents(text):
    assert read_plain_yaml(text) == read_yaml(text, "测试.yaml")


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",  # anchors and aliases
    "a: 1\na: 2\n",  # a key written twice
    "a: !!str 1\n",  # a tag
    "? [a]\n: 1\n",  # a key that is not text
    "---\na: 1\n---\nb: 2\n",  # two documents
    "a: b: c\n", "a: [1\n",  # syntax errors
    "a: " + "[" * 100 + "]" * 100 + "\n",  # deeper than any facts file
    "a: \ud800\n", "a: \x07\n",  # a lone surrogate, a control character
], ids=ascii)
def test_everything_else_goes_to_the_careful_reader(text):
    assert read_plain_yaml(text) is NOT_PLAIN
    try:
        careful = read_yaml(text, "测试.yaml")
    except FactsError as error:
        with pytest.raises(FactsError) as fast_error:
            read_facts_yaml(text, "测试.yaml")
        assert fast_error.value.render() == error.render()
    else:
        assert read_facts_yaml(text, "测试.yaml") == careful
