"""Three-way merge of a staffer's draft with the file as it is now, for the page to show side by side.

The draft remembers the text it was based on (base); the file may have changed since (theirs: a
colleague's save, a `git checkout`); the draft is mine. The merge itself is merge3 (the Breezy
project's diff3, pure Python, line-based): the server already holds the file's current text and
version, so the page needs no diff code of its own and the save goes against the version the merge
was made with. Each group is one run of lines: unchanged, changed on one side only (taken as it is),
changed the same way on both, or a conflict the staffer decides.

merge3 compares lines with difflib, quadratic in the worst case: two shuffled texts of 20,000 lines
kept a server thread busy for 25 s, 150,000 lines for minutes. Every side is therefore held to
MAX_MERGE_LINES (about 2 s at worst on the 2-core machine; the measures are 734 lines).
"""
from __future__ import annotations

from merge3 import Merge3

from .. import messages
from ..errors import ToolError

MAX_MERGE_LINES = 5_000


class MergeTooLarge(ToolError):
    """A side of the merge is longer than any policy file the merge is meant for."""

    code = "E510"

# merge3's names → the page's: 文件 is the file as it is now (theirs), 我的 is the draft (mine).
_KINDS = {"unchanged": "相同", "same": "两边一样", "a": "我的", "b": "文件", "conflict": "冲突"}


def merge_groups(base: str, theirs: str, mine: str) -> list[dict]:
    """The draft (mine) against the file (theirs) since their common base, as groups of lines, each
    with what it was in the base, so that every change can be shown beside what it replaced."""
    lines = {"原来": base.splitlines(keepends=True), "我的": mine.splitlines(keepends=True),
             "文件": theirs.splitlines(keepends=True)}
    for side, named in (("原来", "草稿所依据的文本"), ("我的", "草稿"), ("文件", "磁盘上的政策文件")):
        if len(lines[side]) > MAX_MERGE_LINES:
            raise MergeTooLarge(messages.MERGE_TOO_LONG.format(side=named, count=len(lines[side]), limit=MAX_MERGE_LINES))
    regions = list(Merge3(lines["原来"], lines["我的"], lines["文件"]).merge_regions())
    groups = []
    base_at = 0  # where the base stands after the previous region
    for index, region in enumerate(regions):
        kind = _KINDS[region[0]]
        if kind == "相同":
            groups.append({"类别": kind, "文字": "".join(lines["原来"][region[1]:region[2]])})
            base_at = region[2]
            continue
        if kind == "冲突":
            base_end = region[2]
            mine_part, theirs_part = lines["我的"][region[3]:region[4]], lines["文件"][region[5]:region[6]]
        else:  # one side changed (or both alike): the base runs up to the next unchanged region
            following = next((r for r in regions[index + 1:] if r[0] in ("unchanged", "conflict")), None)
            base_end = following[1] if following else len(lines["原来"])
            side = lines["我的" if region[0] in ("a", "same") else "文件"][region[1]:region[2]]
            mine_part = side if region[0] in ("a", "same") else lines["原来"][base_at:base_end]
            theirs_part = side if region[0] in ("b", "same") else lines["原来"][base_at:base_end]
        groups.append({"类别": kind, "原来": "".join(lines["原来"][base_at:base_end]), "我的": "".join(mine_part),
                       "文件": "".join(theirs_part)})
        base_at = base_end
    return groups
