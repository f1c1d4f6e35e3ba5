"""fmt: the canonical layout of a policy file, computed from the parser's own tokens.

The text is read by the policy parser (its contextual lexer, comments and punctuation included),
so what fmt treats as a string, a 原文 line, a chapter title or a comment is exactly what the
compiler does: a `#` or a run of spaces inside ＂…＂ stays inside the string. Every token is
copied from the original text character for character; only the whitespace between tokens is
rewritten: headings start at the margin with one blank line before them (two before a chapter),
rule bodies, parameters and 认定 are indented two spaces (continuations of a list four, of an
或/且 five, of 依据 five), runs of spaces between tokens become one (none stays none), trailing
spaces and runs of blank lines go; the space before an inline comment is kept as typed. The
author's line breaks are kept. fmt(fmt(x)) == fmt(x).

A file that does not parse as a policy (a vocabulary, the 原文 source copy, a policy with a
syntax error) is refused, never rewritten.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lark import Token
from lark.exceptions import UnexpectedInput

from .parser import policy_tokens

from . import language
from .errors import UsageError

_WHITESPACE = "__IGNORE"  # Lark's name for the grammar's anonymous %ignore whitespace terminal
_SECTIONS = tuple(w.word for w in language.SECTIONS)  # their entries are indented under them
_HEADINGS = tuple(w.word for w in language.ARTICLE_HEADINGS)  # start a new article, like an article number at the margin
_JOINERS = tuple(k.word for k in language.LOGIC if k.meaning in ("and", "or"))  # 或/且 continuing a condition
_ALONE = (*(w.word for w in language.MARGIN_WORDS), "DECLARATIVE")  # at the margin, inside an article


@dataclass
class _Line:
    tokens: list[Token]
    blank_before: bool  # the author left a blank line above it


def format_policy(text: str, field_names: tuple[str, ...] | None = None, file: str = "政策文件") -> str:
    """The canonical layout of a policy; raises UsageError when `text` is not a policy."""
    if field_names is None:
        from .vocabulary import load_vocabulary
        field_names = tuple(load_vocabulary().policy_paths())
    try:
        tokens = policy_tokens(text, field_names)
    except UnexpectedInput as error:
        line = getattr(error, "line", 0)
        where = f"第 {line} 行" if line and line > 0 else "文件末尾"
        raise UsageError(f"{file} 不是可以整理的政策文件（{where}无法按规则语言读取），没有改动它",
                         hint="fmt 只整理政策文件（.rules）；先用 check 命令改正语法错误") from None
    if all(t.type == "COMMENT" or t.type.startswith(_WHITESPACE) for t in tokens):
        raise UsageError(f"{file} 中没有任何条文、参数或规则，不是政策文件，没有改动它", hint="fmt 只整理政策文件（.rules）")
    return _layout(text, _lines(text, tokens))


def format_policy_file(path: Path, text: str) -> str:
    """fmt for a policy file: a fork's own vocabulary extension (词汇) decides its field names."""
    from .errors import relative_name
    from .inherit import header_references, load_vocabulary_chain
    from .policy_files import PolicyFiles
    from .vocabulary import load_vocabulary
    vocabulary = load_vocabulary_chain(path, text, PolicyFiles())[0] if header_references(text) else load_vocabulary()
    return format_policy(text, tuple(vocabulary.policy_paths()), relative_name(path))


def _lines(text: str, tokens: list[Token]) -> list[_Line]:
    lines: list[_Line] = []
    previous_end, previous_line = 0, 0
    for token in tokens:
        if token.type.startswith(_WHITESPACE):
            continue
        if token.line != previous_line:
            gap = text[previous_end:token.start_pos]
            lines.append(_Line([], blank_before=gap.count("\n") >= 2 and bool(lines)))
            previous_line = token.line
        lines[-1].tokens.append(token)
        previous_end = token.end_pos
    return lines


def _layout(text: str, lines: list[_Line]) -> str:
    out: list[str] = []
    section = None  # meta / entries / rule / None: how continuation lines are indented

    def blank(count: int) -> None:
        """`count` blank lines before the heading about to be written, or before the comment
        lines right above it, which belong to it."""
        at = len(out)
        while at and out[at - 1].lstrip().startswith("#"):
            at -= 1
        while at and out[at - 1] == "":
            del out[at - 1]
            at -= 1
        if at:
            out[at:at] = [""] * count

    for line in lines:
        first = line.tokens[0]
        kind = first.type
        if line.blank_before and out and out[-1] != "":
            out.append("")
        if kind == "COMMENT":
            out.append(_original_line(text, first).rstrip())  # a comment line is kept as typed
            continue
        code = _join(text, line.tokens)
        if kind == "TEXT_LINE":
            out.append(code)  # 原文: from the > on, exactly as typed
            section = None
        elif kind == "CHAPTER_NO":
            blank(2)
            out.extend([code, ""])
            section = None
        elif kind == "ARTICLE_NO" and section == "entries" and len(line.tokens) > 1 and line.tokens[1].type == "RENUMBER_OP":
            out.append("  " + code)  # 条号对照: 第二十一条 改为 第二十条
        elif kind in ("ARTICLE_NO", *_HEADINGS):
            blank(1)
            out.append(code)
            # 修改 规则 6.5 …: one rule of the base replaced, its body indented like any rule's
            section = "rule" if len(line.tokens) > 1 and line.tokens[1].type == "规则" else None
        elif kind == "规则":
            blank(1)
            out.append(code)
            section = "rule"
        elif kind in _SECTIONS:
            blank(1)
            out.append(code)
            section = "entries"
        elif kind == "META_KEY":
            out.append(code)
            section = "meta"
        elif kind in _ALONE:
            out.append(code)
            section = None
        elif section == "meta":
            out.append("     " + code)  # further 依据 entries line up under the first
        elif section == "entries":
            out.append(("  " if kind == "PARAM" else "    ") + code)  # a long list continues deeper
        elif section == "rule":
            out.append(("     " if kind in _JOINERS else "  ") + code)
        else:
            out.append(code)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _join(text: str, tokens: list[Token]) -> str:
    """The tokens of one line as typed, with each run of whitespace between two of them made one
    space (and no space kept as none); the line's trailing whitespace dropped."""
    parts = [text[tokens[0].start_pos:tokens[0].end_pos]]
    for before, token in zip(tokens, tokens[1:]):
        gap = text[before.end_pos:token.start_pos]
        if token.type == "COMMENT":
            parts.append(gap)  # the space before an inline comment is the author's
        elif gap:
            parts.append(" ")
        parts.append(text[token.start_pos:token.end_pos])
    return "".join(parts).rstrip(" \t\r\u3000")


def _original_line(text: str, token: Token) -> str:
    start = text.rfind("\n", 0, token.start_pos) + 1
    end = text.find("\n", token.start_pos)
    return text[start:end if end >= 0 else len(text)]
