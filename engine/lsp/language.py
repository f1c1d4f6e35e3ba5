"""The policy language's words for editors: completion, hover and the generated TextMate grammar
read them here, from the language's one definition (engine/language.py)."""
from __future__ import annotations

from engine import language

# Terminal name (or "" for the words written inline in the grammar's rules) → words.
KEYWORD_GROUPS: dict[str, tuple[str, ...]] = language.keyword_groups()

# What each group is, shown beside a completion. A group not named here is shown as 关键词.
GROUP_DESCRIPTIONS = {name: role for name, role in language.GROUP_ROLES.items() if name}


def all_keywords() -> list[tuple[str, str]]:
    """(word, what it is) for every keyword, each word once, in grammar order."""
    seen: dict[str, str] = {}
    for group, words in KEYWORD_GROUPS.items():
        for word in words:
            seen.setdefault(word, GROUP_DESCRIPTIONS.get(group, "关键词"))
    return list(seen.items())
