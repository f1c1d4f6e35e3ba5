"""The policy language's words for editors, in one place: completion, hover and the generated
TextMate grammar read them here. Today they come from the Lark grammar; when the language's
definitions are centralised (issue 13) only KEYWORD_GROUPS changes."""
from __future__ import annotations

from grammar.parser import keyword_groups

# Terminal name (or "" for the words written inline in the grammar's rules) → words.
KEYWORD_GROUPS: dict[str, tuple[str, ...]] = keyword_groups()

# What each group is, shown beside a completion. A group not named here is shown as 关键词.
GROUP_DESCRIPTIONS = {
    "META_KEY": "文件开头的元数据", "KIND": "发现类别", "COMPARISON": "比较词", "LIST_TEST": "列表比较词",
    "PRESENCE": "是否已填", "UNIT": "单位", "YES_NO": "是否", "DECLARATIVE": "声明性条款（本条没有可检查的规则）",
}


def all_keywords() -> list[tuple[str, str]]:
    """(word, what it is) for every keyword, each word once, in grammar order."""
    seen: dict[str, str] = {}
    for group, words in KEYWORD_GROUPS.items():
        for word in words:
            seen.setdefault(word, GROUP_DESCRIPTIONS.get(group, "关键词"))
    return list(seen.items())
