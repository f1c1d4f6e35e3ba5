"""diff: how two policies differ, article by article — for a reviewer comparing a county's fork
with the measures it started from (or any two policies).

Metadata, parameters (old → new), facts fields the vocabulary gained or lost, and per article:
added, repealed, or amended (title, a character-level diff of the 原文, and the rules whose text
changed). Unchanged articles are not listed.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

from pathlib import Path

from . import ir
from .alignment import align
from .values import format_parameter

_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?|\s+|.", re.DOTALL)
CONTEXT = 8  # characters of unchanged text shown on each side of a change


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


_SENTENCE_END = "。；\n"


def _sentence_around(text: str, start: int, end: int) -> str:
    """The whole sentence(s) of `text` that the stretch start:end touches."""
    left = max((text.rfind(ch, 0, start) for ch in _SENTENCE_END), default=-1) + 1
    right = min((i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i >= 0), default=len(text) - 1) + 1
    return text[left:right].strip()


def text_changes(old: str, new: str) -> list[dict[str, str]]:
    """Each change with a little context: {"前文", "删除", "增加", "后文"}, and the whole sentence it
    stands in before and after ({"原句", "新句"}), so a reader sees the new wording whole. Chinese is
    compared character by character, numbers and Latin words as wholes."""
    a, b = _tokens(old), _tokens(new)
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = "".join(a[:i1])[-CONTEXT:]
        after = "".join(a[i2:])[:CONTEXT]
        a_start, a_end = len("".join(a[:i1])), len("".join(a[:i2]))
        b_start, b_end = len("".join(b[:j1])), len("".join(b[:j2]))
        changes.append({"前文": before, "删除": "".join(a[i1:i2]), "增加": "".join(b[j1:j2]), "后文": after,
                        "原句": _sentence_around(old, a_start, a_end), "新句": _sentence_around(new, b_start, b_end)})
    return changes


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _param_text(values) -> str:
    return "、".join(map(format_parameter, values))


def diff_policies(old: ir.Policy, new: ir.Policy, old_vocabulary=None, new_vocabulary=None) -> dict[str, Any]:
    """`old_vocabulary`/`new_vocabulary`: the facts vocabularies the two policies read (a fork may add
    fields and change a word field's allowed words), compared when given."""
    old_fields = set(old_vocabulary.policy_paths()) if old_vocabulary else set()
    new_fields = set(new_vocabulary.policy_paths()) if new_vocabulary else set()
    result: dict[str, Any] = {"原": old.file, "新": new.file, "元数据": [], "参数": [], "字段": [], "条文": []}
    for key, attr in (("名称", "name"), ("文号", "number"), ("发布日期", "issued"), ("施行日期", "effective"), ("依据", "basis")):
        a, b = getattr(old.meta, attr), getattr(new.meta, attr)
        if a != b:
            show = (lambda v: "、".join(v)) if attr == "basis" else (lambda v: "" if v is None else str(v))
            result["元数据"].append({"项": key, "原": show(a), "新": show(b)})
    for name in sorted(old.params.keys() | new.params.keys()):
        a, b = old.params.get(name), new.params.get(name)
        if name == "施行日期" and a and b and (a[0].value, b[0].value) == (old.meta.effective, new.meta.effective):
            continue  # the header's 施行日期, already listed with the metadata
        if a != b:
            result["参数"].append({"参数": name, "原": _param_text(a) if a else None, "新": _param_text(b) if b else None})
    for path in sorted(new_fields - old_fields):
        result["字段"].append({"字段": path, "变化": "新增"})
    for path in sorted(old_fields - new_fields):
        result["字段"].append({"字段": path, "变化": "删除"})
    for path in sorted(old_fields & new_fields):
        a, b = old_vocabulary.get(path), new_vocabulary.get(path)
        if a is not None and b is not None and a.words != b.words:
            result["字段"].append({"字段": path, "变化": "可选词", "原": list(a.words), "新": list(b.words)})
    for a, b in _paired_articles(old, new):
        if b is None:
            host = _merged_into(a, old, new)
            result["条文"].append({"条号": a.label, "标题": a.title, "变化": "并入", "并入": host} if host else
                                 {"条号": a.label, "标题": a.title, "变化": "废止"})
        elif a is None:
            result["条文"].append({"条号": b.label, "标题": b.title, "变化": "新增", "原文": "\n".join(b.text),
                                 "规则": [new.rule_text(r) for r in new.rules if r.article.label == b.label]})
        else:
            entry = _amended(old, new, a, b)
            if entry:
                result["条文"].append(entry)
    return result


def _paired_articles(old: ir.Policy, new: ir.Policy) -> list[tuple[ir.ArticleInfo | None, ir.ArticleInfo | None]]:
    """Which old article each new one is. A fork that renumbers (条号对照) keeps the base's article,
    written at the same place of the same file, under another number: that is the same article.
    What is left is paired by content (an amended article keeps most of its wording); what still
    has no partner is compared with the article of the same number, or else was repealed or added. In the order of the new numbers, repealed ones at their old place."""
    def place(article: ir.ArticleInfo) -> tuple[str, int]:
        return Path(article.span.file).name, article.span.line

    old_by_place = {place(a): a for a in old.articles}
    pairs: dict[str, ir.ArticleInfo] = {}
    for b in new.articles:
        a = old_by_place.get(place(b))
        if a is not None and a.label not in {x.label for x in pairs.values()}:
            pairs[b.label] = a
    rest_old = [a for a in old.articles if a.label not in {x.label for x in pairs.values()}]
    rest_new = [b for b in new.articles if b.label not in pairs]
    alignment = align(["".join(a.text) for a in rest_old], ["".join(b.text) for b in rest_new])
    for pair in alignment.pairs:
        if pair.status in ("未改", "修改"):
            pairs[rest_new[pair.county].label] = rest_old[pair.base]
    paired_old = {a.label for a in pairs.values()}
    for b in rest_new:  # nothing else claims them: the articles at the same number are compared
        same = next((a for a in rest_old if a.label == b.label), None)
        if b.label not in pairs and same is not None and same.label not in paired_old:
            pairs[b.label] = same
            paired_old.add(same.label)
    result: list[tuple] = [(pairs.get(b.label), b) for b in new.articles]
    for a in old.articles:
        if a.label not in paired_old:
            at = next((i for i, (x, b) in enumerate(result) if b is not None and (b.number, b.sub) > (a.number, a.sub)), len(result))
            result.insert(at, (a, None))
    return result


def _amended(old: ir.Policy, new: ir.Policy, a: ir.ArticleInfo, b: ir.ArticleInfo) -> dict | None:
    entry: dict[str, Any] = {"条号": b.label, "标题": b.title, "变化": "修改"}
    if a.label != b.label:
        entry["条号变化"] = {"原": a.label, "新": b.label}
    if a.title != b.title:
        entry["标题变化"] = {"原": a.title, "新": b.title}
    if a.text != b.text:
        entry["原文差异"] = text_changes("\n".join(a.text), "\n".join(b.text))
    # Rules are paired by their place in the article (28.2 of the base is 26.2 of a renumbering fork),
    # and compared without their own id.
    old_rules = {_suffix(r.rule_id): (r.rule_id, _without_id(old.rule_text(r))) for r in old.rules if r.article.label == a.label}
    new_rules = {_suffix(r.rule_id): (r.rule_id, _without_id(new.rule_text(r))) for r in new.rules if r.article.label == b.label}
    rule_changes = []
    for suffix in sorted(old_rules.keys() | new_rules.keys(), key=lambda sfx: [int(p) for p in re.findall(r"\d+", sfx)]):
        (_, x), (new_id, y) = old_rules.get(suffix, (None, None)), new_rules.get(suffix, (None, None))
        if x != y:
            rule_id = new_id or old_rules[suffix][0]
            rule_changes.append({"规则": rule_id, "原": x, "新": y, "差异": text_changes(x or "", y or "")})
    if rule_changes:
        entry["规则差异"] = rule_changes
    if a.declarative != b.declarative:
        entry["声明性"] = {"原": a.declarative, "新": b.declarative}
    if set(entry) == {"条号", "标题", "变化", "条号变化"}:
        entry["变化"] = "改号"  # the same article under the county's number
    return entry if len(entry) > 3 else None


def _merged_into(article: ir.ArticleInfo, old: ir.Policy, new: ir.Policy) -> str | None:
    """The new article that now holds this old article's rules (条号对照 … 并入 …), if any."""
    own = [r for r in old.rules if r.article.label == article.label]
    places = {(r.span.file, r.span.line) for r in own}
    texts = {_without_id(old.rule_text(r)) for r in own}
    return next((r.article.label for r in new.rules
                 if (r.span.file, r.span.line) in places or _without_id(new.rule_text(r)) in texts), None)


def _suffix(rule_id: str) -> str:
    return rule_id.rsplit(".", 1)[-1]


def _without_id(rule_text: str) -> str:
    return _normal(re.sub(r"^\s*规则\s+\S+", "规则", rule_text, count=1))


def render_text(diff: dict[str, Any]) -> list[str]:
    lines = [f"比较：{diff['原']} → {diff['新']}"]

    def mark(change: dict) -> str:
        removed = f"[-{change['删除']}-]" if change["删除"] else ""
        added = f"{{+{change['增加']}+}}" if change["增加"] else ""
        return f"{change['前文']}{removed}{added}{change['后文']}".replace("\n", "⏎")

    def sentences(changes: list[dict], indent: str) -> list[str]:
        """Each changed sentence once, old and new in full."""
        shown, out = set(), []
        for change in changes:
            pair = (change["原句"], change["新句"])
            if pair in shown:
                continue
            shown.add(pair)
            out.append(f"{indent}原：{change['原句'] or '（无）'}")
            out.append(f"{indent}新：{change['新句'] or '（删去）'}")
        return out

    if diff["元数据"]:
        lines.append("元数据：")
        lines.extend(f"  {m['项']}：{m['原']} → {m['新']}" for m in diff["元数据"])
    if diff["参数"]:
        lines.append("参数：")
        for p in diff["参数"]:
            if p["原"] is None:
                lines.append(f"  + 【{p['参数']}】 = {p['新']}")
            elif p["新"] is None:
                lines.append(f"  - 【{p['参数']}】 = {p['原']}")
            else:
                lines.append(f"  【{p['参数']}】 {p['原']} → {p['新']}")
    if diff["字段"]:
        lines.append("事实字段：")
        for f in diff["字段"]:
            if f["变化"] == "可选词":
                lines.append(f"  ~ {f['字段']} 的可选词：{'、'.join(f['原'])} → {'、'.join(f['新'])}")
            else:
                lines.append(f"  {'+' if f['变化'] == '新增' else '-'} {f['字段']}")
    if diff["条文"]:
        lines.append("条文：")
    for article in diff["条文"]:
        title = f"（{article['标题']}）" if article["标题"] else ""
        if article["变化"] == "废止":
            lines.append(f"  - {article['条号']}{title}已废止")
        elif article["变化"] == "并入":
            lines.append(f"  - {article['条号']}{title}并入{article['并入']}")
        elif article["变化"] == "改号":
            lines.append(f"  → {article['条号变化']['原']}{title}改为{article['条号变化']['新']}，内容未改")
        elif article["变化"] == "新增":
            lines.append(f"  + {article['条号']}{title}新增，{len(article['规则'])} 条规则")
            lines.extend(f"      > {p}" for p in article["原文"].splitlines())
        else:
            lines.append(f"  ~ {article['条号']}{title}修改")
            if "标题变化" in article:
                lines.append(f"      标题：{article['标题变化']['原']} → {article['标题变化']['新']}")
            if "条号变化" in article:
                lines.append(f"      条号：{article['条号变化']['原']} → {article['条号变化']['新']}")
            for change in article.get("原文差异", []):
                lines.append(f"      原文：…{mark(change)}…")
            lines.extend(sentences(article.get("原文差异", []), "        "))
            for rule in article.get("规则差异", []):
                if rule["原"] is None:
                    lines.append(f"      + 规则 {rule['规则']}：{rule['新']}")
                elif rule["新"] is None:
                    lines.append(f"      - 规则 {rule['规则']}：{rule['原']}")
                else:
                    lines.extend(f"      规则 {rule['规则']}：…{mark(change)}…" for change in rule["差异"])
    if len(lines) == 1:
        lines.append("两份办法没有差别。")
    return lines
