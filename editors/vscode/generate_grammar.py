"""Writes syntaxes/jinxiang-policy.tmLanguage.json from the language's own keyword lists
(engine/lsp/textmate.py). Run by package.sh; the output is build output, not committed."""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the project root, for `engine`

from engine.lsp.textmate import SCOPE, textmate_grammar  # noqa: E402

target = HERE / "syntaxes" / f"{SCOPE}.tmLanguage.json"
target.parent.mkdir(exist_ok=True)
target.write_text(json.dumps(textmate_grammar(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"已生成 {target.relative_to(HERE)}")
