"""The line reader gives exactly the tree plain_data.read_yaml gives (same values, same types, same
key order) or hands the text on: on the bench's kind of generated file, on every YAML file of the
repository, on odd one-line cases and on a few thousand seeded mutations of real files."""
from __future__ import annotations

import random
import re

import pytest
import yaml

from generators import generate_project
from helpers import ROOT
from engine import yaml_lines
from engine.errors import FactsError
from engine.facts import facts_files, nest
from engine.facts_yaml import read_facts_yaml
from engine.plain_data import read_yaml
from engine.yaml_lines import NOT_PLAIN, read_block_yaml


def identical(a, b) -> bool:
    """Equal, with the same types and the same key order all the way down (== alone takes 1 == True)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(identical(a[key], b[key]) for key in a)
    if type(a) is list:
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b))
    return a == b


def same_or_handed_on(text: str) -> bool:
    """True when the line reader read the text (and then exactly as the careful reader); False when
    it handed it on. Fails when it read a text the careful reader refuses or reads otherwise."""
    fast = read_block_yaml(text)
    if fast is NOT_PLAIN:
        return False
    try:
        careful = read_yaml(text, "测试.yaml")
    except FactsError as error:
        pytest.fail(f"read {text!r} as {fast!r}, which the careful reader refuses: {error.render()}")
    assert identical(fast, careful), text
    return True


def generated_text(seed: int) -> str:
    """A facts file as bench/benchmark.py writes it."""
    flat, as_of = generate_project(seed)
    data = nest(flat)
    data["评估日期"] = as_of.isoformat()
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_every_generated_file_is_read_by_lines():
    for seed in range(300):
        assert same_or_handed_on(generated_text(seed)), seed


@pytest.mark.parametrize("path", [p for p in facts_files([ROOT / "facts", ROOT / "features", ROOT / "tests"])
                                  if p.suffix in (".yaml", ".yml")], ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_files(path):
    same_or_handed_on(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [
    "项目:\n  名称: 甲\n  编号: ''\n合同:\n  签订日期: ~\n  金额: null\n  备注: 'null'\n  说明: \"~\"\n",
    "a: yes\nb: on\nc: 010\nd: 0x1F\ne: 1e3\nf: 2025-03-01\ng: 是\nh: .5\ni: -1\nj: NULL\nk: Null\n",
    "实施:\n  变更:\n  - 日期: 2025-01-01\n    内容: [a, 'b', \"c\", ~, '']\n  - 日期: 2025-02-01\n    其他: {}\n  - []\n",
    "a:\n    - x\n    - y\nb:\n  - c: 1\n    d:\n    - 2\n  -   e: 3\n",
    "'a b': 1\n\"c:d\": 'it''s'\nit's: a'b\n~: 1\nnull: 2\n'': 3\n<<: 4\n",
    "a: 1   # 注释\n# 注释\n  # 缩进的注释\nb:    2\nc:\n\nd: [ ]\ne: [a,b , c]\n",
    "a: 1\r\nb:\r\n  - 2\r\n", "  a: 1\n  b: 2\n", "- a\n- b: 1\n  c: 2\n", "a:", "a: x\n" * 1,
    # handed on: what the line reader is not sure of
    "a: C#\n", "a: http://x\n", "a: [a, b,]\n", "a: [a\n  , b]\n", "a: {b: 1}\n", "a: |\n  两行\n  文字\n",
    "a: b\n  c\n", "a: 'b\n  c'\n", "a: \"\\t\"\n", "a:\tb\n", "- - a\n", "-\n  a: 1\n", "a: - b\n",
    "---\na: 1\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n", "? a\n: 1\n", "a : 1\n", "a:b: c\n",
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\na: 2\n", "a:\n  b: 1\n c: 2\n", "a: 1\n - b\n",
    "", "# 只有注释\n", "纯文字", "a: \x85\n", "a: \u2028\n", "a: \ufeffb\n", "a: \x07\n", "a: \ud800\n",
    "a: b\rc: d\n", "a: " + "[" * 40 + "]" * 40 + "\n", "k" * 300 + ": 1\n",
    "'" + "k" * 1100 + "': 1\n", '"' + "k" * 1100 + '": 1\n', "- " + "k" * 1100 + ": 1\n",  # libyaml: too long a key
    "a: 是\u3000\n", "\u3000a: 1\n", "a:\u3000b\n", "a: x\u3000#c\n", "a: \xa0b\xa0\n",  # spaces that YAML does not trim
    "a: " + "v" * 5000 + "\n", "a: [" + ", ".join(["v" * 300] * 10) + "]\n", "- [" + "v" * 2000 + "]\n",
], ids=ascii)
def test_odd_documents(text):
    same_or_handed_on(text)


def test_nesting_past_the_limit_is_handed_on():
    deep = "".join(f"{'  ' * level}k{level}:\n" for level in range(40))
    assert read_block_yaml(deep) is NOT_PLAIN
    with pytest.raises(FactsError):
        read_facts_yaml(deep, "测试.yaml")


def test_lists_read_from_a_remembered_line_are_not_shared():
    first, second = read_block_yaml("a: [x]\nb: {}\n"), read_block_yaml("a: [x]\nb: {}\n")
    first["a"].append("y")
    first["b"]["c"] = 1
    assert second == {"a": ["x"], "b": {}}


_PIECES = [" ", "  ", "-", "- ", ":", ": ", "#", " #", "'", '"', "[", "]", "{", "}", ",", "\n", "\t", "\r", "\r\n",
           "a", "是", "~", "&", "*", "!", "|", ">", "%", "@", "`", "?", ".", "\\", "\x85", "\u2028", "null", "[]",
           "{}", "---", "...", "''", "- a: b\n", "  - ", "yes", "010"]
_SCALARS = ["yes", "No", "on", "~", "null", "''", '""', "'~'", "0x1F", "010", "1e3", ".inf", "2025-03-01",
            "'2025-03-01'", "是", "[]", "{}", "[是, 否]", "[ ]", "'it''s'", "a b", "a  #c", "C#", "a:b", "-1", "[a, [b]]"]


def _mutant(text: str, rng: random.Random) -> str:
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        lines = text.split("\n")
        at = rng.randrange(len(lines))
        change = rng.randrange(7)
        if change == 0:
            where = rng.randint(0, len(text))
            text = text[:where] + rng.choice(_PIECES) + text[where:]
        elif change == 1:
            where = rng.randrange(len(text) or 1)
            text = text[:where] + text[where + rng.randint(1, 3):]
        elif change == 2:
            lines[at] = " " * rng.randint(1, 3) + lines[at]
        elif change == 3:
            lines[at] = lines[at][rng.randint(1, 2):]
        elif change == 4:
            lines.insert(rng.randrange(len(lines)), lines[at])
        elif change == 5:
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            key, colon, _ = lines[at].partition(": ")
            lines[at] = f"{key}{colon or ': '}{rng.choice(_SCALARS)}"
        if change >= 2:
            text = "\n".join(lines)
    return text


def test_mutations_of_real_files():
    rng = random.Random(14)
    seeds = [generated_text(seed) for seed in range(20)]
    seeds += [p.read_text(encoding="utf-8") for p in facts_files([ROOT / "facts" / "示例", ROOT / "features"])
              if p.suffix == ".yaml"][:20]
    read = 0
    for _ in range(4000):
        lines = rng.choice(seeds).split("\n")
        text = _mutant("\n".join(lines[:rng.randint(2, 40)]), rng)  # a document's beginning, to stay readable
        if rng.random() < 0.5:
            yaml_lines._lines.clear()  # read each line afresh, not from memory
        read += same_or_handed_on(text)
    assert read > 1000  # the mutations keep many texts inside the subset, so the comparison means something


def test_each_character_class_is_the_printable_set_less_the_characters_named():
    """yaml_lines writes its classes negated (fast to compile); each must still be exactly libyaml's
    printable characters (less tab, line breaks, byte order mark, surrogates) less those named."""
    def printable(code: int) -> bool:
        return (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029)
                or 0xE000 <= code <= 0xFFFD and code != 0xFEFF or 0x10000 <= code <= 0x10FFFF)
    every = "".join(map(chr, range(0x110000)))
    for left_out in (" -?:,[]{}#&*!|>'\"%@`", "#:", " #:", "'", '"\\', "#:,[]{}", " #:,[]{}", ""):
        expected = "".join(char for char in every if printable(ord(char)) and char not in left_out)
        assert "".join(re.findall(yaml_lines._chars(left_out), every)) == expected, left_out
