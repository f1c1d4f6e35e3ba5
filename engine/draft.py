"""`draft`: a fork of a base policy, written from another county's (or a revised) gazette text.

Reads the gazette text (engine/gazette.py), aligns its articles with the base policy's by content
(engine/alignment.py), and for each article decides what it became in the fork:
- unchanged: nothing to write, the fork inherits it;
- changed: its amounts, periods, percentages and named bodies are compared with the base's
  (engine/quantities.py); a changed value that a base parameter holds becomes a parameter change;
  the article is amended (修改) with its new 原文, and the base's rules are rewritten only where a
  quoted sentence no longer stands in the new text;
- new: written with its 原文 and no rules, which `lint` reports as 待编写规则 until staff write them;
- repealed (废止), merged (并入) or renumbered (改为): written into the fork's 条号对照 table.
Every decision is listed in an `AlignmentReport`, so that a person can check the tool's reading.
Nothing here evaluates projects; the fork it writes is checked by the ordinary `check`.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import language, syntax
from .errors import UsageError, relative_name
from .alignment import Alignment, align, comparable, position_map
from .gazette import GazetteArticle, GazetteText, read_gazette
from .inherit import load_vocabulary_chain, parse_with_bases
from .policy_files import PolicyFiles, read_policy_text
from .quantities import Quantity, find_quantities
from .text import article_label, parse_article_label
from .values import Duration

MAX_GAZETTE_BYTES = 2_000_000
_QUOTE_OF = re.compile("依据\\s*[“「\"]\0[”」\"]")
_PARAM = re.compile(r"【[^】\n]+】")
_BOOKS = re.compile(r"《[^》\n]+》")


@dataclass(frozen=True, slots=True)
class Difference:
    """One thing the county's text says differently from the base's, and what the draft made of it."""

    article: str  # the county's label
    base_article: str
    old: str
    new: str
    became: str  # e.g. 参数【合同签订时限】改为 15个工作日; or 未对应参数，请人工核对


@dataclass
class ArticleDecision:
    county: str | None  # the county's label (None for a repealed base article)
    base: str | None  # the base's label (None for a new article)
    status: str  # 未改 | 修改 | 新增 | 废止 | 并入 | 拆分
    similarity: float
    note: str = ""
    differences: list[Difference] = field(default_factory=list)
    wording: list[tuple[str, str]] = field(default_factory=list)  # other changed wording, (old, new)


@dataclass
class DraftResult:
    policy_text: str
    source_text: str
    decisions: list[ArticleDecision]
    parameter_changes: dict[str, tuple[str, str]]  # name → (old, new)
    gazette: GazetteText
    vocabulary_text: str = ""  # a vocabulary extension (词汇) when the county renamed allowed words
    revision: bool = False

    @property
    def ours(self) -> str:
        return "新版" if self.revision else "本县"

    @property
    def theirs(self) -> str:
        return "原版" if self.revision else "基准"

    def summary(self) -> str:
        counts: dict[str, int] = defaultdict(int)
        for decision in self.decisions:
            counts[decision.status] += 1
        parts = "；".join(f"{status} {n} 条" for status, n in counts.items())
        return f"对照结果：{parts}；参数改动 {len(self.parameter_changes)} 处。请按对照报告逐项核对。"

    def report_text(self) -> str:
        return render_report_text(self)

    def report_html(self) -> str:
        return render_report_html(self)


@dataclass(frozen=True, slots=True)
class _BaseArticle:
    number: tuple[int, int]
    label: str
    title: str
    paragraphs: tuple[str, ...]
    rules: tuple[syntax.Rule, ...]
    declarative: bool
    rule_text: tuple[str, ...]  # each rule as written in its file

    @property
    def body(self) -> str:
        return comparable("".join(self.paragraphs))

    def params_used(self) -> set[str]:
        return {name for text in self.rule_text for name in _PARAM.findall(text)}


def draft_fork(gazette_raw: str, base_path: Path, output_path: Path, *, revision: bool = False) -> DraftResult:
    base_text = read_policy_text(base_path)
    files = PolicyFiles()
    vocabulary = load_vocabulary_chain(base_path, base_text, files)[0]
    source = parse_with_bases(base_path, base_text, tuple(vocabulary.policy_paths()), files)
    gazette = read_gazette(gazette_raw)
    base_articles = _base_articles(source)
    alignment = align([a.body for a in base_articles], [a.body for a in gazette.articles])
    params = {p.name: p for p in source.params}
    decisions, changes = _decide(alignment, base_articles, gazette.articles, params)
    parameter_changes = _agree_on_parameters(changes, params, decisions)
    word_changes = _word_list_changes(parameter_changes, vocabulary)
    writer = _ForkWriter(base_path, output_path, gazette, base_articles, revision, changes)
    text = writer.write(alignment, decisions, parameter_changes, params, bool(word_changes))
    return DraftResult(text, gazette.text, decisions, {n: (o, v) for n, (o, v, _) in parameter_changes.items()}, gazette,
                       _vocabulary_text(word_changes, gazette.title), revision)


def _word_list_changes(parameter_changes, vocabulary) -> dict[str, list[str]]:
    """Fields whose allowed words held a value the county renamed (山东通 → 羊山政务通): each gets the
    county's list, so that facts and the parameter agree."""
    renamed: dict[str, str] = {}
    for old, new, supporting in parameter_changes.values():
        for change in supporting:
            if isinstance(change.old, str) and isinstance(change.new, str):
                renamed[change.old] = change.new
    changed = {}
    for path, spec in vocabulary.fields.items():
        if spec.words and any(w in renamed for w in spec.words):
            changed[path] = [renamed.get(w, w) for w in spec.words]
    return changed


def _vocabulary_text(word_changes: dict[str, list[str]], title: str) -> str:
    if not word_changes:
        return ""
    import yaml

    tree: dict = {}
    for path, words in word_changes.items():
        *groups, name = path.split(".")
        node = tree
        for group in groups:
            node = node.setdefault(group, {})
        node[name] = {"取值": words}
    header = f"# {title or '本县办法'}对事实词汇的改动（由 cli.py draft 起草）：可选词按本县的平台、机构名称改写。\n"
    return header + yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, default_flow_style=None)


def read_gazette_file(path: Path) -> str:
    """A gazette text as staff save it: UTF-8 (with or without BOM) or GB18030 (Windows' default)."""
    display = relative_name(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"无法读取正式文本 {display}（{error.strerror or error}）") from None
    if len(data) > MAX_GAZETTE_BYTES:
        raise UsageError(f"{display}: 正式文本有 {len(data)} 字节，超过 {MAX_GAZETTE_BYTES} 字节的上限")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"{display}: 正式文本既不是 UTF-8 也不是 GB18030 编码", hint="用记事本另存为 UTF-8 编码")


def draft_files(text_path: Path, base_path: Path, output_path: Path, *, revision: bool = False,
                force: bool = False) -> tuple[list[Path], DraftResult]:
    """Write the fork, its source copy and the alignment report (text and HTML) beside it."""
    if output_path.suffix != ".rules":
        raise UsageError(f"输出文件「{output_path}」应以 .rules 结尾", hint="如 -o policies/湖西县_2025.rules")
    if not base_path.is_file():
        raise UsageError(f"找不到被继承的政策文件 {relative_name(base_path)}")
    if base_path.resolve().parent != output_path.resolve().parent:
        raise UsageError(f"输出文件应与被继承的政策文件放在同一个文件夹（{relative_name(base_path.parent)}）",
                         hint=f"如 -o {relative_name(base_path.parent / output_path.name)}")
    targets = [output_path, output_path.with_suffix(".source.txt"), output_path.with_suffix(".对照.txt"),
               output_path.with_suffix(".对照.html"), _vocabulary_path(output_path)]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise UsageError(f"{relative_name(existing[0])} 已存在，没有覆盖", hint="换一个文件名，或加 --force 覆盖")
    result = draft_fork(read_gazette_file(text_path), base_path, output_path, revision=revision)
    if not result.gazette.articles:
        raise UsageError(f"{relative_name(text_path)}: 没有找到条文（以「第一条」等开头的段落）",
                         hint="正式文本应每条另起一段，以「第X条」开头")
    contents = [result.policy_text, result.source_text, result.report_text(), result.report_html(), result.vocabulary_text]
    written = [(target, content) for target, content in zip(targets, contents) if content]
    for target, content in written:
        _write_atomic(target, content)
    return [target for target, _ in written], result


def _vocabulary_path(output_path: Path) -> Path:
    return output_path.with_name(f"{output_path.stem}_词汇.yaml")


def _write_atomic(path: Path, content: str) -> None:
    temporary = path.with_name(path.name + ".draft-tmp")
    temporary.write_text(content, encoding="utf-8")
    os.replace(temporary, path)  # a crash leaves the old file or the new one, never half of one


# ---------------------------------------------------------------- the base
def _base_articles(source: syntax.PolicySource) -> list[_BaseArticle]:
    texts = dict(source.texts)
    articles = []
    for article in source.articles:
        number = parse_article_label(article.label)
        if number is None:
            continue
        file_lines = texts.get(article.span.file, source.text).split("\n")
        rule_text = tuple("\n".join(file_lines[r.span.line - 1:r.span.end_line]) for r in article.rules)
        articles.append(_BaseArticle(number, article_label(*number), article.title, article.text, article.rules,
                                     article.declarative, rule_text))
    return articles


# ---------------------------------------------------------------- differences
@dataclass(frozen=True, slots=True)
class _Change:
    county_label: str
    base: _BaseArticle
    old: Quantity | str
    new: Quantity | str
    candidates: tuple[str, ...]  # parameters that hold the old value and this article's rules use
    base_start: int  # where the old value stands in the base article's comparable text


def _decide(alignment: Alignment, base: list[_BaseArticle], county: tuple[GazetteArticle, ...], params):
    decisions: list[ArticleDecision] = []
    changes: list[_Change] = []
    for pair in sorted(alignment.pairs, key=lambda p: (p.county if p.county is not None else 10**6, p.base or 0)):
        b = base[pair.base] if pair.base is not None else None
        c = county[pair.county] if pair.county is not None else None
        county_label = article_label(c.number, c.sub) if c else None
        decision = ArticleDecision(county_label, b.label if b else None, pair.status, pair.similarity)
        if pair.status == "修改" and b and c:
            found = _differences(b, c, county_label, params)
            changes.extend(found)
            decision.note = "原文有改动"
            decision.wording = _wording_changes(b.body, comparable(c.body), found)
        elif pair.status == "并入" and b:
            partner = county[pair.partner]
            decision.county = article_label(partner.number, partner.sub)
            decision.note = f"内容并入本县{decision.county}"
        elif pair.status == "拆分" and c:
            decision.note = f"由{base[pair.partner].label}拆分而来，按新增条文起草"
        elif pair.status == "新增":
            decision.note = "新增条文，待编写规则"
        elif pair.status == "废止":
            decision.note = "本县办法中没有对应条文"
        decisions.append(decision)
    return decisions, changes


def _differences(b: _BaseArticle, c: GazetteArticle, county_label: str, params) -> list[_Change]:
    base_body, county_body = b.body, comparable(c.body)
    to_county = position_map(base_body, county_body)
    county_quantities = find_quantities(county_body)
    used = b.params_used()
    changes = []
    for quantity in find_quantities(base_body):
        before = to_county(quantity.start - 1) if quantity.start else -1
        if before is None:
            continue
        counterpart = next((q for q in county_quantities if before < q.start <= before + 2), None)
        if counterpart is None or counterpart.same_as(quantity):
            continue
        candidates = tuple(name for name, p in params.items() if _holds(p, quantity))
        narrowed = tuple(n for n in candidates if n in used) or candidates
        if len(narrowed) > 1:
            narrowed = _by_quote(b, base_body, quantity, narrowed) or narrowed
        changes.append(_Change(county_label, b, quantity, counterpart, narrowed, quantity.start))
    for name, param in params.items():
        for value in _text_values(param):
            at = base_body.find(value)
            if at < 1:
                continue
            before, after = to_county(at - 1), to_county(at + len(value))
            if before is None or after is None or after <= before:
                continue
            replacement = county_body[before + 1:after]
            if replacement != value and replacement and len(replacement) <= 30 and "。" not in replacement:
                changes.append(_Change(county_label, b, value, replacement, (name,), at))
    return changes


MAX_WORDING_SHOWN = 5


def _wording_changes(base: str, county: str, values: list["_Change"]) -> list[tuple[str, str]]:
    """The changed stretches of wording that are not one of the values already listed, for a person
    to read (`draft` makes nothing of them: the amended 原文 carries them)."""
    import difflib

    listed = {(_shown(c.old), _shown(c.new)) for c in values}
    found = []
    spans: list[list[int]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, base, county, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if spans and a1 - spans[-1][1] < 6 and b1 - spans[-1][3] < 6:
            spans[-1][1], spans[-1][3] = a2, b2  # a few unchanged characters between two edits: one change
        else:
            spans.append([a1, a2, b1, b2])
    for a1, a2, b1, b2 in spans:
        old, new = base[max(a1 - 4, 0):a2 + 4], county[max(b1 - 4, 0):b2 + 4]
        if any(o in old and n in new for o, n in listed):
            continue
        found.append((_clip(old), _clip(new)))
    return found


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def _by_quote(article: _BaseArticle, body: str, quantity: Quantity, names: tuple[str, ...]) -> tuple[str, ...]:
    """Of several parameters holding the same value, those used by a rule whose quote covers it."""
    chosen = set()
    for rule, text in zip(article.rules, article.rule_text):
        quote = comparable(rule.quote)
        at = body.find(quote)
        if at >= 0 and at <= quantity.start < at + len(quote):
            chosen |= {n for n in names if n in text}
    return tuple(n for n in names if n in chosen)


def _holds(param: syntax.ParamDecl, quantity: Quantity) -> bool:
    if len(param.values) != 1:
        return False
    literal = param.values[0]
    match literal.type, literal.value:
        case "金额", Decimal() as amount:
            return quantity.family == "金额" and quantity.value == amount
        case "百分比", Decimal() as share:
            return quantity.family == "百分比" and quantity.value == share
        case "期限", Duration() as period:
            return quantity.family == period.unit and quantity.value == period.amount
    return False


def _text_values(param: syntax.ParamDecl) -> list[str]:
    return [v.value for v in param.values if v.type == "文本" and isinstance(v.value, str) and len(v.value) >= 2]


def _agree_on_parameters(changes: list[_Change], params, decisions: list[ArticleDecision]):
    """One new value per parameter; a parameter the county changed in two different ways is not guessed."""
    proposals: dict[str, dict[str, list[_Change]]] = defaultdict(lambda: defaultdict(list))
    unmapped: list[_Change] = []
    for change in changes:
        if len(change.candidates) == 1:
            proposals[change.candidates[0]][_literal(change.new)].append(change)
        else:
            unmapped.append(change)
    agreed: dict[str, tuple[str, str, list[_Change]]] = {}
    by_label = {d.county: d for d in decisions if d.status == "修改"}
    for name, values in proposals.items():
        if len(values) == 1:
            new, supporting = next(iter(values.items()))
            old = _param_literal(params[name], supporting[0].old)
            new_value = _replace_in_list(params[name], supporting[0].old, new)
            agreed[name] = (old, new_value, supporting)
            for change in supporting:
                by_label[change.county_label].differences.append(Difference(
                    change.county_label, change.base.label, _shown(change.old), _shown(change.new),
                    f"参数【{name}】改为 {new_value}"))
        else:
            for new, supporting in values.items():
                for change in supporting:
                    by_label[change.county_label].differences.append(Difference(
                        change.county_label, change.base.label, _shown(change.old), _shown(change.new),
                        f"参数【{name}】在各条中改成了不同的值（{'、'.join(values)}），未改，请人工决定"))
    for change in unmapped:
        where = f"可能对应{'、'.join(change.candidates)}" if change.candidates else "没有参数保存这个值"
        by_label[change.county_label].differences.append(Difference(
            change.county_label, change.base.label, _shown(change.old), _shown(change.new),
            f"未对应参数（{where}），规则里若写死了这个值，请人工修改"))
    return agreed


def _shown(value: Quantity | str) -> str:
    return value.text if isinstance(value, Quantity) else value


def _literal(value: Quantity | str) -> str:
    return value.policy_literal() if isinstance(value, Quantity) else f"“{value}”"


def _param_literal(param: syntax.ParamDecl, old: Quantity | str) -> str:
    return "、".join(_literal_of(v) for v in param.values)


def _literal_of(literal: syntax.Literal) -> str:
    from .values import format_money

    match literal.type:
        case "金额":
            return format_money(literal.value)
        case "百分比":
            return f"{format(literal.value.normalize(), 'f')}%"
        case "期限":
            return str(literal.value)
        case "文本":
            return f"“{literal.value}”"
    return str(literal.value)


def _replace_in_list(param: syntax.ParamDecl, old: Quantity | str, new: str) -> str:
    if isinstance(old, str) and len(param.values) > 1:
        return "、".join(new if v.value == old else _literal_of(v) for v in param.values)
    return new


# ---------------------------------------------------------------- writing the fork
class _ForkWriter:
    def __init__(self, base_path: Path, output_path: Path, gazette: GazetteText, base: list[_BaseArticle], revision: bool,
                 changes: list[_Change]):
        self.base_path, self.output_path, self.gazette, self.base, self.revision = base_path, output_path, gazette, base, revision
        self.changes = changes

    def write(self, alignment: Alignment, decisions, parameter_changes, params, own_vocabulary: bool) -> str:
        g = self.gazette
        out = [f"# {g.title or '本县办法'} —— 由 `cli.py draft` 从正式文本起草",
               f"# 对照报告：{self.output_path.with_suffix('.对照.txt').name}（逐条列出找到的差异和处理方式，请逐项核对）。",
               "# 核对后删去本段说明；带「待编写规则」的条文，请按原文写出规则或标明「声明性条款」。", ""]
        base_name = _relative(self.base_path, self.output_path)
        # A revision of the same measures (修订) keeps the previous version for conduct before its 施行日期;
        # another county's measures inherit (继承) and replace the base outright.
        out.append(f"{'修订' if self.revision else '继承'} “{base_name}”")
        if own_vocabulary:
            out.append(f"词汇 “{_vocabulary_path(self.output_path).name}”")
        out.append("")
        if g.title:
            out.append(f"名称 “{g.title}”")
        if g.document_number:
            out.append(f"文号 “{g.document_number}”")
        if g.issued:
            out.append(f"发布日期 {g.issued.isoformat()}")
        if g.in_force:
            out.append(f"施行日期 {g.in_force.isoformat()}")
        books = self._grounds()
        if books:
            out.append("依据 " + "\n     ".join(f"“{b}”" for b in books))
        out.append(f"原文出处 “{self.output_path.with_suffix('.source.txt').name}”")
        out.append("")
        if parameter_changes:
            out.append("参数")
            for name, (old, new, supporting) in parameter_changes.items():
                where = "、".join(dict.fromkeys(c.county_label for c in supporting))
                out.append(f"  【{name}】 = {new}  # 原为 {old}，见{'新版' if self.revision else '本县'}{where}")
            out.append("")
        numbering = self._numbering(alignment)
        if numbering:
            out.append("条号对照")
            out.extend(f"  {line}" for line in numbering)
            out.append("")
        county_by_label = {article_label(a.number, a.sub): a for a in self.gazette.articles}
        for decision in decisions:
            if decision.status == "废止" and decision.base:
                if not any(line.startswith(f"{decision.base} ") for line in numbering):
                    out.append(f"废止 {decision.base}")
                    out.append("")
                continue
            if decision.county is None or decision.status == "并入":
                continue
            county = county_by_label[decision.county]
            base = next((a for a in self.base if a.label == decision.base), None)
            merged = [self.base[i] for i in alignment.merged_into(self.gazette.articles.index(county))]
            if decision.status == "未改" and not merged:
                continue
            out.extend(self._article(decision, county, base, merged, parameter_changes))
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"

    def _grounds(self) -> list[str]:
        first = next((a for a in self.gazette.articles if a.number == 1), None)
        return [b for b in _BOOKS.findall(first.body)] if first else []

    def _numbering(self, alignment: Alignment) -> list[str]:
        lines = []
        for pair in alignment.pairs:
            if pair.base is None:
                continue
            base = self.base[pair.base]
            if pair.status == "并入":
                target = self.gazette.articles[pair.partner]
                lines.append(f"{base.label} 并入 {article_label(target.number, target.sub)}")
            elif pair.county is not None:
                county = self.gazette.articles[pair.county]
                label = article_label(county.number, county.sub)
                if label != base.label:
                    lines.append(f"{base.label} 改为 {label}")
        return sorted(lines, key=lambda line: parse_article_label(line.split(" ", 1)[0]) or (0, 0))

    def _article(self, decision, county: GazetteArticle, base: _BaseArticle | None, merged, parameter_changes) -> list[str]:
        paragraphs = _text_paragraphs(county)
        joined = "\n".join(paragraphs)
        if base is None:
            out = [f"{decision.county}", *(f"> {p}" for p in paragraphs),
                   f"# 待编写规则：{decision.note}。按原文写出规则，或写「声明性条款」。"]
            return out
        title = f"（{base.title}）" if base.title else ""
        out = [f"修改 {decision.county}{title}", *(f"> {p}" for p in paragraphs)]
        sources = [base, *merged]
        rules = [(a, r, t) for a in sources for r, t in zip(a.rules, a.rule_text)]
        if not rules and all(a.declarative for a in sources):
            return [*out, "声明性条款"]
        # The article's rules stay inherited (条号对照 numbers them); only a rule whose quote or summary
        # no longer fits the new text is rewritten, as 修改 规则 — the county writes what it changed.
        number = parse_article_label(decision.county)
        county_text = "".join(paragraphs)
        for counter, (article, rule, text) in enumerate(rules, start=1):
            new_id = f"{number[0]}{'之' + str(number[1]) if number[1] else ''}.{counter}"
            quote = _requote(rule.quote, article.body, county_text)
            checked = quote is not None and quote in joined
            if not checked:
                quote = _closest_sentence(rule.quote, paragraphs)
            rewritten = _QUOTE_OF.sub(lambda _: f"依据{_quoted(quote)}", text.replace(rule.quote, "\0", 1), count=1)
            rewritten = rewritten.replace("\0", rule.quote)  # only if the quote stood elsewhere too
            for change in self._changes_of(article, rule, text):
                rewritten = _replace_loosely(rewritten, _shown(change.old), _shown(change.new))
            if rewritten == text:
                continue
            out.append("")
            if not checked:
                out.append(f"# 请核对：规则 {new_id}（原{article.label}规则 {rule.rule_id}）的依据已按新原文改写")
            out.append("修改 " + rewritten.replace(f"规则 {rule.rule_id}", f"规则 {new_id}", 1).lstrip())
        return out

    def _changes_of(self, article: _BaseArticle, rule: syntax.Rule, text: str) -> list[_Change]:
        """The value changes a rule's summaries should follow: those of a parameter the rule uses, or
        that stand inside the sentence it quotes — not every change of the article (28.2 and 28.3 both
        say 10个工作日, and only one of them changed)."""
        quote = comparable(rule.quote)
        at = article.body.find(quote)
        chosen = []
        for change in self.changes:
            if change.base is not article:
                continue
            covers = at >= 0 and at <= change.base_start < at + len(quote)
            uses = len(change.candidates) == 1 and f"【{change.candidates[0]}】" in text
            if covers or uses:
                chosen.append(change)
        return chosen


def _requote(quote: str, base_body: str, county_text: str) -> str | None:
    """The county's wording of the sentence a base rule quotes: the same stretch of text, found by
    following the characters the two versions share (so 10 个工作日 → 十五个工作日 is carried over
    and spaces stay as the gazette wrote them)."""
    wanted = comparable(quote)
    start = base_body.find(wanted)
    if start < 0 or not wanted:
        return None
    kept = [i for i, ch in enumerate(county_text) if comparable(ch)]
    county_body = "".join(county_text[i] for i in kept)
    to_county = position_map(base_body, county_body)
    end = start + len(wanted) - 1
    # Anchor on the characters just outside the quote, so that a changed word at its very edge
    # (500万元 → 1000万元 at the start) is taken whole; else on the first and last shared ones inside.
    at_start, at_end = to_county(start), to_county(end)
    outside_before = to_county(start - 1) if start else (at_start - 1 if at_start is not None else None)
    outside_after = to_county(end + 1) if end < len(base_body) - 1 else (at_end + 1 if at_end is not None else None)
    first = next(((i, to_county(i)) for i in range(start, end + 1) if to_county(i) is not None), None)
    last = next(((i, to_county(i)) for i in range(end, start - 1, -1) if to_county(i) is not None), None)
    if first is None or last is None:
        return None
    begin = outside_before + 1 if outside_before is not None else max(first[1] - (first[0] - start), 0)
    finish = outside_after - 1 if outside_after is not None else min(last[1] + (end - last[0]), len(county_body) - 1)
    if finish < begin:
        return None
    return county_text[kept[begin]:kept[finish] + 1]


def _replace_loosely(text: str, old: str, new: str) -> str:
    """Replace `old` where it stands with or without the spaces a gazette puts around numbers."""
    pattern = r"\s*".join(re.escape(ch) for ch in comparable(old))
    return re.sub(pattern, lambda _: new, text)


def _quoted(text: str) -> str:
    """A string in the policy language: 「…」 when the text itself holds “…” (原文 often does)."""
    return f"「{text}」" if "“" in text or "”" in text else f"“{text}”"


def _text_paragraphs(article: GazetteArticle) -> list[str]:
    first = re.sub(rf"^{language.ARTICLE_NUMBER}[ \t\u3000]*", "", article.paragraphs[0], count=1)
    return [first, *article.paragraphs[1:]]


def _closest_sentence(quote: str, paragraphs: list[str]) -> str:
    import difflib

    sentences = [s for p in paragraphs for s in re.split(r"(?<=[。；])", p) if s.strip()]
    if not sentences:
        return quote
    best = max(sentences, key=lambda s: difflib.SequenceMatcher(None, comparable(quote), comparable(s)).ratio())
    return best.rstrip("。；")


def _relative(base: Path, output: Path) -> str:
    try:
        return base.resolve().relative_to(output.resolve().parent).as_posix()
    except ValueError:
        return base.name


# ---------------------------------------------------------------- the alignment report
def render_report_text(result: DraftResult) -> str:
    lines = [f"对照报告：{result.gazette.title or '本县办法'}（{result.gazette.document_number or '未找到文号'}）",
             f"施行日期：{result.gazette.in_force or '未找到，请在政策文件中补写'}；发布日期：{result.gazette.issued or '未找到'}", ""]
    counts = defaultdict(int)
    for d in result.decisions:
        counts[d.status] += 1
    lines.append("；".join(f"{status} {n} 条" for status, n in counts.items()))
    lines.append("")
    if result.parameter_changes:
        lines.append("参数改动：")
        lines.extend(f"  {name}：{old} → {new}" for name, (old, new) in result.parameter_changes.items())
        lines.append("")
    for d in result.decisions:
        here = d.county or "（无）"
        there = d.base or "（无）"
        lines.append(f"{result.ours}{here} ⟷ {result.theirs}{there}：{d.status}（相似度 {_percent(d.similarity)}）{('，' + d.note) if d.note else ''}")
        for difference in d.differences:
            lines.append(f"    「{difference.old}」→「{difference.new}」：{difference.became}")
        for old, new in d.wording[:MAX_WORDING_SHOWN]:
            lines.append(f"    文字改动「{old}」→「{new}」：随修改后的原文写入")
        if len(d.wording) > MAX_WORDING_SHOWN:
            lines.append(f"    ……另有 {len(d.wording) - MAX_WORDING_SHOWN} 处文字改动")
    return "\n".join(lines) + "\n"


def _percent(share: float) -> str:
    """Floor, not round: 99.7 % similar is not 100 %, which reads as identical."""
    return f"{int(share * 100)}%"


def render_report_html(result: DraftResult) -> str:
    import html

    rows = []
    for d in result.decisions:
        details = "<br>".join([*(html.escape(f"「{x.old}」→「{x.new}」：{x.became}") for x in d.differences),
                               *(html.escape(f"文字改动「{o}」→「{n}」") for o, n in d.wording[:MAX_WORDING_SHOWN])])
        rows.append(f"<tr class='{html.escape(d.status)}'><td>{html.escape(d.county or '')}</td><td>{html.escape(d.base or '')}</td>"
                    f"<td>{html.escape(d.status)}</td><td>{_percent(d.similarity)}</td><td>{html.escape(d.note)}</td><td>{details}</td></tr>")
    params = "".join(f"<li>{html.escape(n)}：{html.escape(o)} → {html.escape(v)}</li>" for n, (o, v) in result.parameter_changes.items())
    title = html.escape(result.gazette.title or "本县办法")
    return (f"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>对照报告：{title}</title>"
            "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #999;padding:4px 8px;vertical-align:top}tr.修改{background:#fff8e0}"
            "tr.新增,tr.拆分{background:#e8f4ff}tr.废止,tr.并入{background:#fde8e8}th{white-space:nowrap}</style>"
            f"<h1>对照报告：{title}</h1><p>文号 {html.escape(result.gazette.document_number or '未找到')}；"
            f"施行日期 {html.escape(str(result.gazette.in_force or '未找到'))}</p>"
            f"<h2>参数改动</h2><ul>{params or '<li>无</li>'}</ul><h2>逐条对照</h2>"
            "<table><tr><th>本县条号</th><th>基准条号</th><th>处理</th><th>相似度</th><th>说明</th><th>差异</th></tr>"
            + "".join(rows) + "</table></html>\n")
