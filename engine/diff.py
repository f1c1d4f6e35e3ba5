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

from . import ir
from .values import format_value

_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?|\s+|.", re.DOTALL)
CONTEXT = 8  # characters of unchanged text shown on each side of a change


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def text_changes(old: str, new: str) -> list[dict[str, str]]:
    """Each change with a little context: {"前文", "删除", "增加", "后文"}; Chinese is compared
    character by character, numbers and Latin words as wholes."""
    a, b = _tokens(old), _tokens(new)
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = "".join(a[:i1])[-CONTEXT:]
        after = "".join(a[i2:])[:CONTEXT]
        changes.append({"前文": before, "删除": "".join(a[i1:i2]), "增加": "".join(b[j1:j2]), "后文": after})
    return changes


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _param_text(values) -> str:
    return "、".join(format_value(v.value) if v.type != "百分比" else f"{v.value.normalize():f}%" for v in values)


def diff_policies(old: ir.Policy, new: ir.Policy, old_fields: set[str] = frozenset(), new_fields: set[str] = frozenset()) -> dict[str, Any]:
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
    old_articles = {(a.number, a.sub): a for a in old.articles}
    new_articles = {(a.number, a.sub): a for a in new.articles}
    for number in sorted(old_articles.keys() | new_articles.keys()):
        a, b = old_articles.get(number), new_articles.get(number)
        if b is None:
            result["条文"].append({"条号": a.label, "标题": a.title, "变化": "废止"})
        elif a is None:
            result["条文"].append({"条号": b.label, "标题": b.title, "变化": "新增", "原文": "\n".join(b.text),
                                 "规则": [new.rule_text(r) for r in new.rules if r.article.label == b.label]})
        else:
            entry = _amended(old, new, a, b)
            if entry:
                result["条文"].append(entry)
    return result


def _amended(old: ir.Policy, new: ir.Policy, a: ir.ArticleInfo, b: ir.ArticleInfo) -> dict | None:
    entry: dict[str, Any] = {"条号": b.label, "标题": b.title, "变化": "修改"}
    if a.title != b.title:
        entry["标题变化"] = {"原": a.title, "新": b.title}
    if a.text != b.text:
        entry["原文差异"] = text_changes("\n".join(a.text), "\n".join(b.text))
    old_rules = {r.rule_id: _normal(old.rule_text(r)) for r in old.rules if r.article.label == a.label}
    new_rules = {r.rule_id: _normal(new.rule_text(r)) for r in new.rules if r.article.label == b.label}
    rule_changes = []
    for rule_id in sorted(old_rules.keys() | new_rules.keys(), key=lambda rid: [int(p) for p in re.findall(r"\d+", rid)]):
        x, y = old_rules.get(rule_id), new_rules.get(rule_id)
        if x != y:
            rule_changes.append({"规则": rule_id, "原": x, "新": y, "差异": text_changes(x or "", y or "")})
    if rule_changes:
        entry["规则差异"] = rule_changes
    if a.declarative != b.declarative:
        entry["声明性"] = {"原": a.declarative, "新": b.declarative}
    return entry if len(entry) > 3 else None


def render_text(diff: dict[str, Any]) -> list[str]:
    lines = [f"比较：{diff['原']} → {diff['新']}"]

    def mark(change: dict) -> str:
        return f"{change['前文']}[-{change['删除']}-]{{+{change['增加']}+}}{change['后文']}".replace("\n", "⏎")

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
        lines.extend(f"  {'+' if f['变化'] == '新增' else '-'} {f['字段']}" for f in diff["字段"])
    if diff["条文"]:
        lines.append("条文：")
    for article in diff["条文"]:
        if article["变化"] == "废止":
            lines.append(f"  - {article['条号']}（{article['标题']}）已废止")
        elif article["变化"] == "新增":
            lines.append(f"  + {article['条号']}（{article['标题']}）新增，{len(article['规则'])} 条规则")
            lines.extend(f"      > {p}" for p in article["原文"].splitlines())
        else:
            lines.append(f"  ~ {article['条号']}（{article['标题']}）修改")
            if "标题变化" in article:
                lines.append(f"      标题：{article['标题变化']['原']} → {article['标题变化']['新']}")
            for change in article.get("原文差异", []):
                lines.append(f"      原文：…{mark(change)}…")
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
