"""Stage 2 → 3: the syntax tree is checked and lowered to the engine-neutral IR (engine.ir).

Checks: article numbers and rule ids, that each rule's 依据 is quoted verbatim from its article,
that the finding kind agrees with the modal word of that quote, field and parameter names, value
types and units, enumeration words, references to other articles' findings and their order
(strata). All errors of a policy are collected before any is reported.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from decimal import Decimal

from . import ir, messages, syntax
from .errors import ErrorCollector, PolicyError, Span
from .text import article_label, did_you_mean, parse_chinese_number
from .values import Duration, format_value
from .vocabulary import Vocabulary

_ORDERING = {"不低于": ">=", "不高于": "<=", "不超过": "<=", "低于": "<", "高于": ">", "超过": ">",
             "早于": "<", "晚于": ">", "不早于": ">=", "不晚于": "<="}
_EQUALITY = {"为": "==", "等于": "==", "不为": "!=", "不等于": "!="}
_ORDERED_TYPES = {"金额", "日期", "期限", "数量"}
_BINDING = re.compile(r"应|不得|一律|严格|必须|须")
_SOFT = re.compile(r"一般|原则上")
_ENCOURAGING = re.compile(r"鼓励|优先|重点支持")
_ARTICLE = re.compile(r"^第([零〇一二两三四五六七八九十百千0-9]+)条(?:之([一二三四五六七八九十0-9]+))?$")


def parse_article_label(label: str) -> tuple[int, int] | None:
    match = _ARTICLE.match(label)
    if not match:
        return None
    try:
        return parse_chinese_number(match.group(1)), parse_chinese_number(match.group(2)) if match.group(2) else 0
    except ValueError:
        return None


class _Checker:
    def __init__(self, source: syntax.PolicySource, vocabulary: Vocabulary) -> None:
        self.source = source
        self.vocabulary = vocabulary
        self.errors = ErrorCollector(dict(source.texts) or {source.file: source.text})
        self.params: dict[str, tuple[ir.ConstTerm, ...]] = {}
        self.definitions: dict[str, syntax.Definition] = {}
        self.param_uses: dict[str, int] = {}
        self.articles: dict[tuple[int, int], ir.ArticleInfo] = {}
        self.rule_ids: set[str] = set()
        self.exceptions: dict[str, tuple[tuple[str, ...], Span]] = {}  # exception rule → the rules it excepts
        self.current_article: str | None = None
        # Obligations whose deadline fell before the 施行日期 are not judged (法不溯及既往).
        self.effective_date = _effective_date(source)

    def fail(self, message_key: str, span: Span | None, hint: str | None = None, **args) -> None:
        """Record the error for a message key of engine.messages.POLICY, in the current article."""
        self.errors.add(PolicyError.of(message_key, span, article=self.current_article, hint=hint, **args))

    # -------------------------------------------------------------- policy
    def check(self) -> ir.Policy:
        meta = self._meta()
        self._params()
        self._definitions()
        article_nodes = self._articles()
        rules = []
        for article, node in article_nodes:
            self.current_article = article.label
            for rule in node.rules:
                lowered = self._rule(rule, article)
                if lowered is not None:
                    rules.append(lowered)
        self.current_article = None
        rules = self._resolve_chains(self._apply_gates(self._apply_exceptions(rules)))
        self.errors.raise_if_any()
        fingerprint = hashlib.sha256("".join(t for _, t in self.source.texts or ((None, self.source.text),)).encode("utf-8")).hexdigest()[:12]
        return ir.Policy(self.source.file, fingerprint, meta, tuple(a for a, _ in article_nodes), tuple(rules),
                         dict(self.params), dict(self.param_uses), self.source.texts or ((self.source.file, self.source.text),))

    def _meta(self) -> ir.PolicyMeta:
        found: dict[str, tuple] = {}
        for entry in self.source.meta:
            if entry.key in found and entry.key != "依据":
                self.fail("E110.repeated", entry.span, name=entry.key)
            found[entry.key] = found.get(entry.key, ()) + entry.values if entry.key == "依据" else entry.values
        dates = {}
        for key in ("发布日期", "施行日期"):
            value = found.get(key, (None,))[0]
            if value is not None and not hasattr(value, "year"):
                self.fail("E110.date", None, name=key)
                value = None
            dates[key] = value
        return ir.PolicyMeta(
            name=str(found.get("名称", ("",))[0]), number=str(found.get("文号", ("",))[0]),
            issued=dates["发布日期"], effective=dates["施行日期"],
            basis=tuple(str(v) for v in found.get("依据", ())),
            source_text=str(found["原文出处"][0]) if "原文出处" in found else None,
        )

    def _params(self) -> None:
        for decl in self.source.params:
            if decl.name in self.params:
                self.fail("E111.parameter", decl.span, name=decl.name)
                continue
            types = {v.type for v in decl.values}
            if len(types) > 1:
                self.fail("E112", decl.span, name=decl.name)
            self.params[decl.name] = tuple(ir.ConstTerm(v.type, v.value) for v in decl.values)
            self.param_uses[decl.name] = 0
        # The header's 施行日期 is usable as 【施行日期】, so a fork changes it in one place.
        if self.effective_date and "施行日期" not in self.params:
            self.params["施行日期"] = (ir.ConstTerm("日期", self.effective_date),)

    def _definitions(self) -> None:
        for definition in self.source.definitions:
            if definition.name in self.definitions or definition.name in self.params:
                self.fail("E111.definition", definition.span, name=definition.name)
                continue
            self.definitions[definition.name] = definition
            self.param_uses[definition.name] = 0

    def _articles(self) -> list[tuple[ir.ArticleInfo, syntax.Article]]:
        # After merging a fork these are gone; what is left was written without a base to change.
        for node in (*self.source.repeals, *(a for a in self.source.articles if a.amends)):
            self.fail("E180", node.span)
        result = []
        for node in self.source.articles:
            number = parse_article_label(node.label)
            if number is None:
                self.fail("E113", node.span, text=node.label)
                continue
            label = article_label(*number)
            if number in self.articles:
                self.current_article = label
                self.fail("E114", node.span, label=label)
                continue
            if not node.text:
                self.current_article = label
                self.fail("E115", node.span, label=label)
            for erratum in node.errata:
                if erratum.corrected not in "\n".join(node.text):
                    self.current_article = label
                    self.fail("E116", erratum.span, corrected=erratum.corrected, label=label)
            info = ir.ArticleInfo(number[0], number[1], label, node.title, node.text, node.chapter, node.declarative, node.span,
                                  tuple((e.source, e.corrected) for e in node.errata))
            self.articles[number] = info
            result.append((info, node))
        return result

    # -------------------------------------------------------------- rules
    def _rule(self, node: syntax.Rule, article: ir.ArticleInfo) -> ir.Rule | None:
        prefix = node.rule_id.rsplit(".", 1)[0]
        expected = f"{article.number}之{article.sub}" if article.sub else str(article.number)
        if prefix != expected:
            self.fail("E120", node.span, rule=node.rule_id, number=expected)
        if node.rule_id in self.rule_ids:
            self.fail("E121", node.span, rule=node.rule_id)
        if node.quote not in "\n".join(article.text):
            self.fail("E122", node.quote_span, quote=node.quote, label=article.label)
        self._check_modal(node)
        reads: dict[str, ir.FieldTerm] = {}
        terms: dict[ir.ComputedTerm, None] = {}
        lowerer = _Lowerer(self, reads, terms)
        each = lowerer.record_list(node.each) if node.each is not None else None
        guard = lowerer.condition(node.guard) if node.guard is not None else ir.TRUE
        match node.body:
            case syntax.IfBody(condition=condition, kind=kind, summary=summary):
                lowered = lowerer.condition(condition)
                # A 提示 only informs: when its facts are missing it says nothing rather than 无法判定.
                outcomes, undecided = (ir.Outcome("成立", lowered, kind, summary),), (None if kind == "提示" else lowered)
            case syntax.DeadlineBody() as body:
                outcomes, undecided = lowerer.deadline(body)
            case syntax.ExceptionBody(condition=condition, targets=targets, summary=summary):
                # Completed by _apply_exceptions, once the rules it excepts are known.
                outcomes, undecided = (ir.Outcome("例外", lowerer.condition(condition), "提示", summary),), None
                self.exceptions[node.rule_id] = (targets, node.body.span)
        self.rule_ids.add(node.rule_id)
        if lowerer.failed:
            return None
        is_gate = node.body.kind == "不适用"
        if is_gate and each:
            self.fail("E134", node.span)
        if is_gate and any(ref for o in outcomes for ref in ir.finding_refs(o.condition)):
            self.fail("E132", node.span)
            return None
        return ir.Rule(node.rule_id, article, node.quote, guard, outcomes, tuple(reads.values()), tuple(terms),
                       stratum=0, is_gate=is_gate, undecided=undecided, each=each, span=node.span)

    def _check_modal(self, node: syntax.Rule) -> None:
        kind, quote = node.body.kind, node.quote
        modal = None
        if kind == "违规" and _SOFT.search(quote):
            modal = _SOFT.search(quote).group(0)
        elif kind == "违规" and _ENCOURAGING.search(quote) and not _BINDING.search(quote):
            modal = _ENCOURAGING.search(quote).group(0)
        elif kind == "警示" and _BINDING.search(quote) and not _SOFT.search(quote):
            modal = _BINDING.search(quote).group(0)
        if modal:
            self.fail("E123", node.body.span, rule=node.rule_id, kind=kind, modal=modal)

    # -------------------------------------------------------------- chains and gates
    def _resolve_chains(self, rules: list[ir.Rule]) -> list[ir.Rule]:
        by_id = {r.rule_id: r for r in rules}
        depends = {r.rule_id: {rid for ref in r.finding_refs() for rid in ref.rule_ids} for r in rules}
        strata: dict[str, int] = {}

        def stratum(rule_id: str, trail: tuple[str, ...]) -> int:
            if rule_id in strata:
                return strata[rule_id]
            if rule_id in trail:
                cycle = " → ".join((*trail[trail.index(rule_id):], rule_id))
                rule = by_id[rule_id]
                self.errors.add(PolicyError.of("E131", rule.span, article=rule.article.label, cycle=cycle))
                return 0
            below = [stratum(d, (*trail, rule_id)) for d in depends.get(rule_id, ()) if d in by_id]
            # 不适用 rules (the gate) alone are stratum 0; every other rule runs once the gate has spoken.
            strata[rule_id] = 1 + max(below, default=0) if not by_id[rule_id].is_gate else 0
            return strata[rule_id]

        result = []
        for rule in rules:
            level = stratum(rule.rule_id, ())
            result.append(replace(rule, stratum=level, refs=tuple(rule.finding_refs())))
        return result

    def _apply_exceptions(self, rules: list[ir.Rule]) -> list[ir.Rule]:
        """若 … 则 例外 6.5: the excepted rules apply only while the exception is not proven, and the
        exception itself reports (提示) when it set aside a rule that would otherwise have fired."""
        by_id = {r.rule_id: r for r in rules}
        excepted: dict[str, list[ir.Cond]] = {}
        for rule_id, (targets, span) in self.exceptions.items():
            exception = by_id.get(rule_id)
            if exception is None:
                continue
            holds = ir.And((exception.applies, exception.outcomes[0].condition))
            would_fire = []
            for target in targets:
                if target not in by_id or target in self.exceptions:
                    self.errors.add(PolicyError.of("E181", span, article=exception.article.label, rule=target))
                    continue
                excepted.setdefault(target, []).append(holds)
                base = by_id[target]
                would_fire.extend(ir.And((base.applies, o.condition)) for o in base.outcomes if o.kind != "待办")
            outcome = replace(exception.outcomes[0], condition=ir.And((exception.outcomes[0].condition, ir.Or(tuple(would_fire)))))
            reads = {t.path: t for r in (exception, *(by_id[t] for t in targets if t in by_id)) for t in r.reads}
            by_id[rule_id] = replace(exception, outcomes=(outcome,), reads=tuple(reads.values()))
        for target, conditions in excepted.items():
            rule = by_id[target]
            by_id[target] = replace(rule, applies=ir.And((rule.applies, *(ir.NotProven(c) for c in conditions))))
        return [by_id[r.rule_id] for r in rules]

    def _apply_gates(self, rules: list[ir.Rule]) -> list[ir.Rule]:
        """Every other rule applies only while no 不适用 rule has fired: a chain on the gate's
        findings, so an unknown gate (无法判定) lets the rest of the measures speak."""
        gates = tuple(r.rule_id for r in rules if r.is_gate)
        if not gates:
            return rules
        in_scope = ir.Not(ir.FindingExists("本办法", "不适用", gates))
        return [rule if rule.is_gate else replace(rule, applies=ir.And((rule.applies, in_scope))) for rule in rules]

    def finding_rules(self, label: str, kind: str, span: Span) -> tuple[str, ...] | None:
        number = parse_article_label(label)
        if number is None or number not in self.articles:
            self.fail("E130", span, label=label)
            return None
        prefix = f"{number[0]}之{number[1]}." if number[1] else f"{number[0]}."
        # Read kinds from the syntax tree: the article may come later in the file than the reference.
        for node in self.source.articles:
            if parse_article_label(node.label) == number:
                return tuple(r.rule_id for r in node.rules if r.rule_id.startswith(prefix) and kind in _kinds_of(r.body))
        return ()


def _kinds_of(body: syntax.IfBody | syntax.DeadlineBody | syntax.ExceptionBody) -> set[str]:
    return {body.kind, "待办"} if isinstance(body, syntax.DeadlineBody) else {body.kind}


class _Lowerer:
    """Lowers one rule's conditions and operands, recording the fields and computed terms it reads."""

    def __init__(self, checker: _Checker, reads: dict, terms: dict) -> None:
        self.checker = checker
        self.reads = reads
        self.terms = terms
        self.failed = False
        self.expanding: set[str] = set()
        self.each: str | None = None
        self.counting = False  # a record list may be read as a whole only to count its records

    def record_list(self, node: syntax.FieldRef) -> str | None:
        spec = self.checker.vocabulary.get(node.path)
        if spec is None or spec.type != "记录列表":
            lists = [p for p, f in self.checker.vocabulary.fields.items() if f.type == "记录列表"]
            self.fail("E147", node.span, path=node.path, lists="、".join(lists))
            return None
        self.each = node.path
        return node.path

    def fail(self, message_key: str, span: Span, hint: str | None = None, **args) -> None:
        self.failed = True
        self.checker.fail(message_key, span, hint, **args)

    # ---------------------------------------------------------- operands
    def operand(self, node: syntax.Operand) -> tuple[ir.Term, ...] | None:
        """An operand lowers to one term, or several for a list parameter; None after an error."""
        match node:
            case syntax.FieldRef(path=path, span=span):
                spec = self.checker.vocabulary.get(path)
                item_spec = self.checker.vocabulary.item_field(path)
                if item_spec is not None:
                    if self.each != path.rpartition(".")[0]:
                        self.fail("E148.item", span, path=path, list=path.rpartition(".")[0])
                        return None
                    term = ir.FieldTerm(path, item_spec.type, item_spec.event, item=True)
                    self.reads.setdefault(path, term)
                    return (term,)
                if spec is not None and spec.type == "记录列表" and not self.counting:
                    self.fail("E148.list", span, path=path)
                    return None
                if spec is None:
                    close = did_you_mean(path, self.checker.vocabulary.policy_paths())
                    self.fail("E140", span, messages.DID_YOU_MEAN.format(words="」或「".join(close)) if close else None, field=path)
                    return None
                # A record list counts as an event list: absent means no records.
                term = ir.FieldTerm(path, spec.type, spec.event or spec.type == "记录列表")
                self.reads.setdefault(path, term)
                return (term,)
            case syntax.ParamRef(name=name, span=span):
                if name not in self.checker.params:
                    close = did_you_mean(name, list(self.checker.params))
                    self.fail("E141", span, messages.DID_YOU_MEAN_PARAMETER.format(words="】或【".join(close)) if close else None,
                              name=name)
                    return None
                self.checker.param_uses[name] = self.checker.param_uses.get(name, 0) + 1
                return self.checker.params[name]
            case syntax.Literal(type=type_, value=value):
                return (ir.ConstTerm(type_, value),)
            case syntax.Arithmetic() as arithmetic:
                term = self.arithmetic(arithmetic)
                return (term,) if term is not None else None
            case syntax.Function() as function:
                term = self.function(function)
                return (term,) if term is not None else None

    def single(self, node: syntax.Operand) -> ir.Term | None:
        terms = self.operand(node)
        if terms is None:
            return None
        if len(terms) != 1:
            self.fail("E142", node.span)
            return None
        return terms[0]

    def function(self, node: syntax.Function) -> ir.ComputedTerm | None:
        self.counting = node.name == "项数"
        try:
            base = self.single(node.field)
        finally:
            self.counting = False
        if base is None:
            return None
        if node.name == "项数" and base.type in ("词列表", "日期列表", "年份列表", "记录列表"):
            term = ir.ComputedTerm("count", base, None, "数量", f"{base.path}的项数")
        elif node.name == "至今满年数" and base.type == "日期":
            term = ir.ComputedTerm("full_years", base, None, "数量", f"{base.path}至今满年数")
            self.reads.setdefault(ir.AS_OF_PATH, ir.FieldTerm(ir.AS_OF_PATH, "日期"))
        else:
            wanted = "列表字段" if node.name == "项数" else "日期字段"
            self.fail("E149", node.span, function=node.name, wanted=wanted, path=base.path, type=_type_name(base))
            return None
        self.terms.setdefault(term)
        return term

    def arithmetic(self, node: syntax.Arithmetic) -> ir.ComputedTerm | None:
        left, right = self.single(node.left), self.single(node.right)
        if left is None or right is None:
            return None
        if node.op == "*" and left.type == "百分比":
            left, right = right, left
        if not isinstance(left, ir.FieldTerm) or left.item or not isinstance(right, ir.ConstTerm):
            self.fail("E143.shape", node.span)
            return None
        if node.op == "*" and left.type == "金额" and right.type == "百分比":
            term = ir.ComputedTerm("percent_of", left, right.value, "金额", f"{left.path}×{right.value.normalize():f}%")
        elif node.op == "+" and left.type == "日期" and right.type == "期限":
            duration: Duration = right.value
            op = {"工作日": "add_workdays", "日": "add_days", "月": "add_months"}[duration.unit]
            term = ir.ComputedTerm(op, left, duration, "日期", f"{left.path}+{duration}")
        else:
            self.fail("E143.types", node.span, left=_type_name(left), right=_type_name(right))
            return None
        self.terms.setdefault(term)
        return term

    # ---------------------------------------------------------- conditions
    def condition(self, node: syntax.Condition) -> ir.Cond:
        match node:
            case syntax.AnyOf(items=items):
                return ir.Or(tuple(self.condition(i) for i in items))
            case syntax.AllOf(items=items):
                return ir.And(tuple(self.condition(i) for i in items))
            case syntax.Negation(item=item):
                return ir.Not(self.condition(item))
            case syntax.Comparison() as comparison:
                return self.comparison(comparison)
            case syntax.ListTest() as test:
                return self.list_test(test)
            case syntax.Presence(operand=operand, filled=filled, span=span):
                term = self.single(operand)
                if term is None:
                    return ir.TRUE
                if not isinstance(term, ir.FieldTerm):
                    self.fail("E144", span)
                    return ir.TRUE
                return ir.Filled(term) if filled else ir.Not(ir.Filled(term))
            case syntax.DerivedRef(name=name, span=span):
                return self.derived(name, span)
            case syntax.FindingRef(article=label, kind=kind, span=span):
                rule_ids = self.checker.finding_rules(label, kind, span)
                if rule_ids is None:
                    self.failed = True
                    return ir.TRUE
                if not rule_ids:
                    self.fail("E133", span, label=label, kind=kind)
                    return ir.TRUE
                number = parse_article_label(label)
                return ir.FindingExists(article_label(*number), kind, rule_ids)
        raise AssertionError(f"unhandled condition {node!r}")

    def derived(self, name: str, span: Span) -> ir.Cond:
        """A 认定 is inlined where it is used, so each rule still records every field it reads."""
        definition = self.checker.definitions.get(name)
        if definition is None:
            if name in self.checker.params:
                self.fail("E145.parameter", span, name=name)
            else:
                close = did_you_mean(name, list(self.checker.definitions))
                self.fail("E145", span, messages.DID_YOU_MEAN_PARAMETER.format(words="】或【".join(close)) if close else None,
                          name=name)
            return ir.TRUE
        if name in self.expanding:
            self.fail("E146", span, name=name)
            return ir.TRUE
        self.checker.param_uses[name] += 1
        self.expanding.add(name)
        try:
            return self.condition(definition.condition)
        finally:
            self.expanding.discard(name)

    def comparison(self, node: syntax.Comparison) -> ir.Cond:
        left, right = self.single(node.left), self.single(node.right)
        if left is None or right is None:
            return ir.TRUE
        if node.op in _EQUALITY:
            op = _EQUALITY[node.op]
            if not self.comparable(left, right, node, ordered=False):
                return ir.TRUE
            return ir.Compare(left, op, right)
        if not self.comparable(left, right, node, ordered=True):
            return ir.TRUE
        return ir.Compare(left, _ORDERING[node.op], right)

    def comparable(self, left: ir.Term, right: ir.Term, node, ordered: bool) -> bool:
        family = {"词": "文本"}
        lt, rt = family.get(left.type, left.type), family.get(right.type, right.type)
        if lt != rt or lt in ("词列表", "日期列表", "年份列表"):
            self.fail("E150", node.span, left=_describe(left), left_type=_type_name(left), right=_describe(right),
                      right_type=_type_name(right))
            return False
        if ordered and lt not in _ORDERED_TYPES:
            self.fail("E151", node.span, op=node.op, type=_type_name(left))
            return False
        for field_term, const in ((left, right), (right, left)):
            if isinstance(field_term, ir.FieldTerm) and isinstance(const, ir.ConstTerm):
                if not self.word_allowed(field_term, const, node.span) or not self.unit_matches(field_term, const, node.span):
                    return False
        return True

    def word_allowed(self, term: ir.FieldTerm, const: ir.ConstTerm, span: Span) -> bool:
        spec = self.checker.vocabulary.get(term.path)
        if spec is not None and spec.words and const.value not in spec.words:
            close = did_you_mean(str(const.value), spec.words)
            self.fail("E152", span, messages.DID_YOU_MEAN.format(words=close[0]) if close else None,
                      word=const.value, field=term.path, words="、".join(spec.words))
            return False
        return True

    def unit_matches(self, term: ir.FieldTerm, const: ir.ConstTerm, span: Span) -> bool:
        spec = self.checker.vocabulary.get(term.path)
        if spec is not None and spec.type == "期限":
            family = "月" if const.value.unit == "月" else "日"
            if family != spec.unit:
                self.fail("E153", span, field=term.path, unit="年、月" if spec.unit == "月" else "日", value=const.value)
                return False
        return True

    def list_test(self, node: syntax.ListTest) -> ir.Cond:
        left = self.single(node.left)
        items: list[ir.Term] = []
        for item in node.items:
            terms = self.operand(item)
            if terms is None:
                return ir.TRUE
            items.extend(terms)
        if left is None:
            return ir.TRUE
        if any(not isinstance(i, ir.ConstTerm) for i in items):
            self.fail("E154", node.span, op=node.op)
            return ir.TRUE
        if node.op in ("包含", "包含任一", "缺少", "不含"):
            if left.type != "词列表":
                self.fail("E155", node.span, op=node.op, field=_describe(left), type=_type_name(left))
                return ir.TRUE
            spec = self.checker.vocabulary.get(left.path)
            for item in items:
                if item.value not in spec.words:
                    self.word_allowed(left, item, node.span)
                    return ir.TRUE
            tests = tuple(ir.HasWord(left, str(i.value)) for i in items)
            if node.op == "包含":
                return ir.And(tests)
            if node.op == "包含任一":
                return ir.Or(tests)
            if node.op == "缺少":  # lacks at least one of them
                return ir.Or(tuple(ir.Not(t) for t in tests))
            return ir.And(tuple(ir.Not(t) for t in tests))  # 不含: none of them
        for item in items:
            if not self.comparable(left, item, node, ordered=False):
                return ir.TRUE
        member = ir.Or(tuple(ir.Compare(left, "==", i) for i in items))
        return member if node.op == "属于" else ir.Not(member)

    def deadline(self, node: syntax.DeadlineBody) -> tuple[tuple[ir.Outcome, ...], ir.Cond | None]:
        """A time limit yields 待办 (with 截止日期) while the deadline is ahead and the obligation is
        unmet, the rule's kind once it has passed, and — when what is due is a date — also when it
        happened after the deadline. Deadlines before the 施行日期 are not judged (第四十六条)."""
        as_of = ir.FieldTerm(ir.AS_OF_PATH, "日期", False)
        self.reads.setdefault(ir.AS_OF_PATH, as_of)
        if node.deadline is not None:
            deadline = self.single(node.deadline)
            if deadline is None:
                return (), None
            if deadline.type != "日期":
                self.fail("E157.fixed", node.span, type=_type_name(deadline))
                return (), None
            started: ir.Cond = ir.TRUE
        else:
            start, limit = self.single(node.start), self.single(node.limit)
            if start is None or limit is None:
                return (), None
            if not (isinstance(start, ir.FieldTerm) and start.type == "日期" and not start.item):
                self.fail("E156", node.span)
                return (), None
            if limit.type != "期限":
                self.fail("E157.limit", node.span, type=_type_name(limit))
                return (), None
            op = {"工作日": "add_workdays", "日": "add_days", "月": "add_months"}[limit.value.unit]
            deadline = ir.ComputedTerm(op, start, limit.value, "日期", "截止日期")
            self.terms.setdefault(deadline)
            started = ir.Filled(start)
        effective = self.checker.effective_date
        in_force = (ir.Compare(deadline, ">=", ir.ConstTerm("日期", effective)),) if effective else ()
        if isinstance(node.due, syntax.FieldRef):
            due = self.single(node.due)
            if due is None:
                return (), None
            if not (isinstance(due, ir.FieldTerm) and due.type == "日期" and due.event):
                self.fail("E156", node.span)
                return (), None
            done: ir.Cond = ir.Filled(due)
            late = (ir.Outcome("逾期办理", ir.And((started, done, ir.Compare(due, ">", deadline), *in_force)), node.kind, node.summary, deadline),)
            what = due.path
        else:
            done, late, what = self.condition(node.due), (), "本条规定的事项"
        pending = node.pending_summary or f"应在截止日期前完成：{what}"
        not_done = ir.Not(done)
        outcomes = (
            *late,
            ir.Outcome("逾期未办", ir.And((started, not_done, ir.Compare(as_of, ">", deadline), *in_force)), node.kind, node.summary, deadline),
            ir.Outcome("未到期", ir.And((started, not_done, ir.Compare(as_of, "<=", deadline))), "待办", pending, deadline),
        )
        # Unknown when the deadline or the obligation cannot be read (an event date never is unknown).
        undecided = ir.And((started, not_done, ir.Compare(as_of, ">", deadline)))
        return outcomes, undecided


def _type_name(term: ir.Term) -> str:
    return {"文本": "文字", "词": "可选词", "是否": "是否", "金额": "金额", "日期": "日期", "期限": "期限",
            "百分比": "百分比", "词列表": "词列表", "日期列表": "日期列表", "年份列表": "年份列表",
            "数量": "数量"}.get(term.type, term.type)


def _describe(term: ir.Term) -> str:
    match term:
        case ir.FieldTerm(path=path):
            return path
        case ir.ConstTerm(value=value, type="百分比"):
            return f"{Decimal(value).normalize():f}%"
        case ir.ConstTerm(value=value):
            return format_value(value)
        case ir.ComputedTerm(label=label):
            return label


def _effective_date(source: syntax.PolicySource):
    for entry in source.meta:
        if entry.key == "施行日期" and entry.values and hasattr(entry.values[0], "year"):
            return entry.values[0]
    return None


def check_policy(source: syntax.PolicySource, vocabulary: Vocabulary) -> ir.Policy:
    return _Checker(source, vocabulary).check()
