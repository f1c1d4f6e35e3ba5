"""What the 编辑规则 tab says about each check error and lint warning, for staff who are not programmers.

`check` and `lint` speak to someone at a terminal: a code (W208), a sentence, a hint that names
commands (articles) and keywords (「修改」). The page shows the sentence first, then what this kind
of warning is for (one sentence per lint code: a code alone means nothing to staff), and a hint that
names what the page itself offers (the 条文 tab, the editor, the carry panel's button); the code is
kept, small, for asking a colleague or looking it up.
"""
from __future__ import annotations

# What each lint warning is about and why it matters, in one sentence.
WARNING_MEANINGS = {
    "W201": "原文出处是办法正式文本的副本：没有它，就无法核对每一条的原文是否一字不差。",
    "W202": "原文出处（正式文本的副本）里没有这一条：条号或正式文本可能不对。",
    "W203": "勘误说要改的那几个字在正式文本里找不到：勘误可能写错了。",
    "W204": "这一条的原文与正式文本不一致：原文须一字不差地抄自正式文本，审查的人才能据以签字。",
    "W205": "这个参数定义了却没有规则用到：改它不会影响任何判定。",
    "W206": "这一条既没有规则，也没有标明是声明性条款：还没有编写。",
    "W207": "这条规则的条件自相矛盾，永远不会成立：它永远不会报告任何发现。",
    "W208": "依据里的数额与规则不符：发现会引着写旧数额的原文，却按另一个数额判定，审查的人无法签字。",
    "W209": "这条规则没有写明判定的是哪一天的行为：施行日期之前的行为不予追究（第四十六条），须知道行为日期。",
    "W220": "正式文本里有这一条，本办法里却没有：漏写了，还是已经废止？",
    "W221": "原文说的施行日期与本办法写的施行日期不一致。",
    "W222": "继承来的第一条原文引用的上位法，不在本办法的「依据」里。",
}

# Hints that name what the page offers, in place of the terminal's; {hint} keeps the terminal's own
# specifics where it has them (W204: what the source text says at that point).
PAGE_HINTS = {
    "W201": "把正式文本的副本（.txt）放在政策文件所在的文件夹里，文件名与文件开头「原文出处」写的一致。",
    "W204": "点这一条跳到原文（以 > 开头的行），照正式文本改成一字不差（{hint}）；正式文本改了（办法修订了）时，原文出处的副本也要换成新的文字。",
    "W205": "在编辑器里删去这个参数的定义行，或在要用它的规则里写上【参数名】。",
    "W206": "点这一条跳到这一条：可以检查的义务写成规则（若 … 则 违规 “…”）；只是宣示的，在原文下写「声明性条款」。",
    "W208": ("参数改了，原文和依据却还是旧数。刚改参数、还没保存时，编辑器下方「参数改了」一栏的「一并修改依据和摘要…」按钮"
             "可以预览并一步改好依据、摘要和原文那一句；已经保存了的，点这一条跳到规则，把依据、摘要和本条原文（以 > 开头的行）"
             "里的旧数改成新数。办法确实修订了才这样改；修订前的行为仍按原办法判定时，应起草修订版（docs/为本县定制办法.md）。"),
    "W209": "点这一条跳到规则，在规则下加一行「行为日期 字段」（如 行为日期 立项.日期）；持续的义务加一行「持续义务」。",
}

_TERMINAL_WORDS = (("用 articles 命令查看", "在「条文」页查看"),)


def page_hint(code: str, hint: str) -> str:
    """The hint as the page gives it: its own for the codes above, the terminal's otherwise with
    commands named as the page's tabs."""
    if code in PAGE_HINTS:
        return PAGE_HINTS[code].replace("{hint}", hint)
    for terminal, page in _TERMINAL_WORDS:
        hint = hint.replace(terminal, page)
    return hint


def meaning(code: str) -> str:
    return WARNING_MEANINGS.get(code, "")
