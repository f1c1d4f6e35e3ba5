"""fmt: the canonical layout of a policy file.

Line based, so nothing but layout can change: 原文 lines (after their `>`), comments and the
contents of quoted strings are kept character for character. Headings start at the margin with one
blank line before them (two before a chapter); rule bodies, parameters and 认定 are indented two
spaces; runs of spaces between words collapse to one; trailing spaces go. fmt(fmt(x)) == fmt(x).
"""
from __future__ import annotations

import re

_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|「[^」\n]*」|【[^】\n]*】")
_CHAPTER = re.compile(r"^第[零〇一二三四五六七八九十百0-9０-９]+章")
_ARTICLE = re.compile(r"^第[零〇一二两三四五六七八九十百千0-9０-９]+条")
_SECTION = ("参数", "认定")
_META = ("名称", "文号", "发布日期", "施行日期", "依据", "原文出处")


def _collapse(code: str) -> str:
    """Collapse runs of spaces outside quoted strings and 【】 names; keep an inline comment as is."""
    out, last = [], 0
    comment_at = _comment_start(code)
    body, comment = (code[:comment_at], code[comment_at:]) if comment_at is not None else (code, "")
    for match in _QUOTED.finditer(body):
        out.append(re.sub(r"[ \t\u3000]+", " ", body[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(re.sub(r"[ \t\u3000]+", " ", body[last:]))
    text = "".join(out).strip()
    return f"{text} {comment}" if comment and text else (comment or text)


def _comment_start(code: str) -> int | None:
    inside = None
    pairs = {'"': '"', "“": "”", "「": "」", "【": "】"}
    for index, char in enumerate(code):
        if inside:
            if char == inside:
                inside = None
        elif char in pairs:
            inside = pairs[char]
        elif char in "#＃":
            return index
    return None


def format_policy(text: str) -> str:
    lines_out: list[str] = []
    section = None  # 参数 / 认定 / meta / rule / None

    def blank(count: int = 1) -> None:
        while lines_out and lines_out[-1] == "":
            lines_out.pop()
        if lines_out:
            lines_out.extend([""] * count)

    for raw in text.replace("\r\n", "\n").split("\n"):
        stripped = raw.strip(" \t\u3000")
        if not stripped:
            if lines_out and lines_out[-1] != "":
                lines_out.append("")
            continue
        if stripped.startswith(("#", "＃")):
            lines_out.append(raw.rstrip("\n"))  # comments are kept exactly
            continue
        if stripped.startswith((">", "＞")):
            lines_out.append(raw[raw.index(stripped[0]):])  # 原文: only the indentation before > goes
            section = None
            continue
        code = _collapse(stripped)
        if _CHAPTER.match(code):
            blank(2)
            lines_out.extend([code, ""])
            section = None
        elif _ARTICLE.match(code):
            blank()
            lines_out.append(code)
            section = None
        elif code.startswith("规则"):
            blank()
            lines_out.append(code)
            section = "rule"
        elif code in _SECTION or code.split(" ")[0] in _SECTION and len(code.split(" ")) == 1:
            blank()
            lines_out.append(code)
            section = "entries"
        elif code.startswith(_META):
            lines_out.append(code)
            section = "meta"
        elif code.startswith(("勘误", "声明性条款")):
            lines_out.append(code)
            section = None
        elif section == "meta":
            lines_out.append("     " + code)  # further 依据 entries line up under the first
        elif section == "entries":
            lines_out.append(("  " if code.startswith("【") else "    ") + code)  # a long list continues deeper
        elif section == "rule":
            lines_out.append("     " + code if code.startswith(("或", "且")) else "  " + code)
        else:
            lines_out.append(code)
    while lines_out and lines_out[-1] == "":
        lines_out.pop()
    return "\n".join(lines_out) + "\n"
