"""The VS Code extension's TextMate grammar is generated from the language's keyword lists."""
import json
import re
import subprocess
import sys
from pathlib import Path

from engine.lsp.language import KEYWORD_GROUPS
from engine.lsp.textmate import textmate_grammar

ROOT = Path(__file__).resolve().parent.parent


def scope_of(grammar: dict, text: str) -> str | None:
    """The scope of the first pattern matching all of `text` (Python's re stands in for Oniguruma here)."""
    for pattern in grammar["patterns"]:
        if re.fullmatch(pattern["match"], text):
            return pattern["name"]
    return None


def test_every_keyword_of_the_grammar_is_highlighted():
    grammar = textmate_grammar()
    words = {word for group in KEYWORD_GROUPS.values() for word in group}
    assert {"若", "则", "违规", "不低于", "对每项", "已填", "施行日期", "个工作日"} <= words
    for word in words:
        assert scope_of(grammar, word), word
    assert scope_of(grammar, "否则") == "keyword.control.jinxiang-policy"  # not 否 (是否) followed by 则
    assert scope_of(grammar, "不低于") == "keyword.operator.word.jinxiang-policy"
    assert scope_of(grammar, "合同.签订日期") == "variable.other.property.field.jinxiang-policy"
    assert scope_of(grammar, "【重大项目金额】") == "variable.other.constant.parameter.jinxiang-policy"
    assert scope_of(grammar, "第二十八条") == "entity.name.section.jinxiang-policy"
    assert scope_of(grammar, "10个工作日") == "constant.numeric.quantity.jinxiang-policy"


def test_the_generator_script_writes_the_grammar(tmp_path):
    script = ROOT / "editors" / "vscode" / "generate_grammar.py"
    copy = tmp_path / "generate_grammar.py"  # run a copy, so the extension folder is left alone
    copy.write_text(script.read_text(encoding="utf-8").replace("HERE.parents[1]", repr(str(ROOT))), encoding="utf-8")
    subprocess.run([sys.executable, str(copy)], check=True, capture_output=True)
    written = json.loads((tmp_path / "syntaxes" / "jinxiang-policy.tmLanguage.json").read_text(encoding="utf-8"))
    assert written == textmate_grammar()
