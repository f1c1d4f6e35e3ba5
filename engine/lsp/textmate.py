"""The TextMate grammar for editors' highlighting, generated from the language's keyword lists
(language.py) and the facts vocabulary's field names, never written by hand: a keyword added to
the grammar is highlighted after the next `editors/vscode/package.sh`."""
from __future__ import annotations

import re

from engine import language
from engine.vocabulary import Vocabulary, load_vocabulary

from .language import KEYWORD_GROUPS

SCOPE = "jinxiang-policy"
# TextMate scope of each keyword group; the words written inline in the grammar's rules are keywords.
GROUP_SCOPES = {
    "META_KEY": "keyword.other.header", "KIND": "storage.type.kind", "COMPARISON": "keyword.operator.word",
    "LIST_TEST": "keyword.operator.word", "PRESENCE": "keyword.operator.word", "UNIT": "keyword.other.unit",
    "YES_NO": "constant.language", "DECLARATIVE": "keyword.other.declarative", "": "keyword.control",
}
_CJK_NUMBER = language.NUMERALS + "0-9０-９"


def textmate_grammar(vocabulary: Vocabulary | None = None) -> dict:
    vocabulary = vocabulary or load_vocabulary()
    units = KEYWORD_GROUPS.get("UNIT", ())
    patterns = [
        {"name": f"comment.line.number-sign.{SCOPE}", "match": "[#＃].*$"},
        {"name": f"markup.quote.original-text.{SCOPE}", "match": "^\\s*[>＞].*$"},
        {"name": f"string.quoted.double.{SCOPE}", "match": '"[^"]*"|“[^”]*”|「[^」]*」'},
        {"name": f"variable.other.constant.parameter.{SCOPE}", "match": "【[^】]*】"},
        {"name": f"entity.name.section.{SCOPE}", "match": f"第[{_CJK_NUMBER}]+[条章](?:之[{_CJK_NUMBER}]+)?"},
        {"name": f"constant.numeric.date.{SCOPE}", "match": "\\d{4}-\\d{1,2}-\\d{1,2}|\\d{4}年\\d{1,2}月\\d{1,2}日"},
        {"name": f"constant.numeric.rule-id.{SCOPE}", "match": "(?<=规则)\\s*\\d+(?:之\\d+)?\\.\\d+"},
        {"name": f"constant.numeric.quantity.{SCOPE}",
         "match": "[0-9０-９]+(?:[.．][0-9０-９]+)?(?:" + "|".join(map(re.escape, _longest_first(units))) + ")?"},
    ]
    fields = _longest_first(vocabulary.policy_paths())
    patterns.append({"name": f"variable.other.property.field.{SCOPE}", "match": "|".join(map(re.escape, fields))})
    scoped = {}
    for group, words in KEYWORD_GROUPS.items():
        for word in words:
            scoped.setdefault(word, GROUP_SCOPES.get(group, "keyword.control"))
    # One pattern per word, longest first: at one position the first listed pattern wins (否则 over 否).
    patterns += [{"name": f"{scoped[word]}.{SCOPE}", "match": re.escape(word)} for word in _longest_first(scoped)]
    return {"$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
            "name": "政策规则", "scopeName": f"source.{SCOPE}", "fileTypes": ["rules"], "patterns": patterns}


def _longest_first(words) -> list[str]:
    return sorted(set(words), key=lambda word: (-len(word), word))
