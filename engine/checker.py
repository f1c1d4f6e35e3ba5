"""Stage 2 → 3: the syntax tree is checked and lowered to the engine-neutral IR (engine.ir); the
lowering of each rule's conditions is in lowering.py.

Checks: article numbers and rule ids, that each rule's 依据 is quoted verbatim from its article,
that the finding kind agrees with the modal word of that quote, field and parameter names, value
types and units, enumeration words, references to other articles' findings and their order
(strata). All errors of a policy are collected before any is reported.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from . import ir, syntax
from .errors import ErrorCollector, PolicyError, Span
from .in_force import apply_effective_date, conduct_dates
from .lowering import Lowerer, _type_name
from .text import article_label, parse_article_label
from .vocabulary import Vocabulary

_BINDING = re.compile(r"应|不得|一律|严格|必须|须")
_SOFT = re.compile(r"一般|原则上")
_ENCOURAGING = re.compile(r"鼓励|优先|重点支持")
# Mandatory wording a 提示 may not quote without a reason (相应、对应、供应 … are not 应).
_MANDATORY = re.compile(r"(?<![相对供响适反答])应当?|必须")


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
                         dict(self.params), dict(self.param_uses), self.source.texts or ((self.source.file, self.source.text),),
                         repealed=self.source.repealed)

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
        for node in (*self.source.repeals, *(a for a in self.source.articles if a.amends),
                     *self.source.rule_amendments, *self.source.rule_repeals):
            self.fail("E180", node.span)
        for entry in self.source.numbering:
            self.fail("E195", entry.span)
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
        lowerer = Lowerer(self, reads, terms)
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
        declared, due = self._conduct(node, lowerer)
        self.rule_ids.add(node.rule_id)
        if lowerer.failed:
            return None
        dates = conduct_dates(outcomes, declared, node.conduct is not None and node.conduct.date is None, due)
        outcomes, undecided, pre_effective = apply_effective_date(outcomes, undecided, dates, self.effective_date)
        is_gate = node.body.kind == "不适用"
        if is_gate and each:
            self.fail("E134", node.span)
        if is_gate and any(ref for o in outcomes for ref in ir.finding_refs(o.condition)):
            self.fail("E132", node.span)
            return None
        return ir.Rule(node.rule_id, article, node.quote, guard, outcomes, tuple(reads.values()), tuple(terms),
                       stratum=0, is_gate=is_gate, undecided=undecided, each=each, span=node.span,
                       readings=tuple(r.text for r in node.readings), pre_effective=pre_effective,
                       conduct=_declared_conduct(node))

    def _conduct(self, node: syntax.Rule, lowerer: Lowerer) -> tuple[ir.Term | None, ir.Term | None]:
        """The rule's declared 行为日期 (None when it has none, or is a 持续义务), and for a time
        limit the date field it asks for."""
        due = None
        if isinstance(node.body, syntax.DeadlineBody) and isinstance(node.body.due, syntax.FieldRef):
            due = lowerer.single(node.body.due)
        if node.conduct is None or node.conduct.date is None:
            return None, due
        if isinstance(node.body, syntax.ExceptionBody) or node.body.kind == "不适用":
            self.fail("E158.scope", node.conduct.span, rule=node.rule_id)
            return None, due
        term = lowerer.single(node.conduct.date)
        if term is not None and term.type != "日期":
            lowerer.fail("E158", node.conduct.span, rule=node.rule_id, type=_type_name(term))
            return None, due
        return term, due

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
        mandatory = _MANDATORY.search(quote)
        if isinstance(node.body, syntax.ExceptionBody):
            return
        if kind == "提示" and mandatory and not (_SOFT.search(quote) or _ENCOURAGING.search(quote)) and node.reminder is None:
            self.fail("E125", node.body.span, rule=node.rule_id, modal=mandatory.group(0))
        if node.reminder is not None and kind != "提示":
            self.fail("E126", node.reminder.span, rule=node.rule_id, kind=kind)

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
        """若 … 则 例外 6.5: the excepted rules report only while the exception is shown not to hold;
        while it is unknown, what they would report is unknown too (无法判定, naming what is missing),
        and a pending duty (待办) is still shown. The exception itself reports (提示) when it set aside
        a rule that would otherwise have fired."""
        by_id = {r.rule_id: r for r in rules}
        excepted: dict[str, list[tuple[str, ir.Cond]]] = {}
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
                excepted.setdefault(target, []).append((rule_id, holds))
                base = by_id[target]
                would_fire.extend(ir.And((base.applies, o.condition)) for o in base.outcomes
                                  if o.kind != "待办" and o.conduct is None)
            outcome = replace(exception.outcomes[0], condition=ir.And((exception.outcomes[0].condition, ir.Or(tuple(would_fire)))))
            reads = {t.path: t for r in (exception, *(by_id[t] for t in targets if t in by_id)) for t in r.reads}
            by_id[rule_id] = replace(exception, outcomes=(outcome,), reads=tuple(reads.values()))
        for target, conditions in excepted.items():
            rule = by_id[target]
            exempt = ir.Or(tuple(c for _, c in conditions))
            outcomes = tuple(replace(o, condition=ir.And((o.condition, ir.NotProven(exempt) if o.kind == "待办" else ir.Not(exempt))))
                             for o in rule.outcomes)
            undecided = ir.And((rule.undecided, ir.Not(exempt))) if rule.undecided is not None else None
            reads = {t.path: t for r in (rule, *(by_id[e] for e, _ in conditions)) for t in r.reads}
            by_id[target] = replace(rule, outcomes=outcomes, undecided=undecided, reads=tuple(reads.values()),
                                    exempted_by=tuple(conditions))
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

    def named_finding_rules(self, rule_ids: tuple[str, ...], kind: str, span: Span) -> dict[str, tuple[str, ...]] | None:
        """违反规则 28.3、33.1: the named rules grouped by article, each checked to exist and to be able
        to produce `kind` (a reference that can never hold is an error, as for 违反第N条)."""
        bodies = {r.rule_id: (node.label, r.body) for node in self.source.articles for r in node.rules}
        grouped: dict[str, tuple[str, ...]] = {}
        ok = True
        for rule_id in rule_ids:
            if rule_id not in bodies:
                self.fail("E135", span, rule=rule_id)
                ok = False
                continue
            label, body = bodies[rule_id]
            if kind not in _kinds_of(body):
                self.fail("E133.rule", span, rule=rule_id, kind=kind)
                ok = False
                continue
            canonical = article_label(*parse_article_label(label))
            grouped[canonical] = (*grouped.get(canonical, ()), rule_id)
        return grouped if ok else None


def _kinds_of(body: syntax.IfBody | syntax.DeadlineBody | syntax.ExceptionBody) -> set[str]:
    return {body.kind, "待办"} if isinstance(body, syntax.DeadlineBody) else {body.kind}


def _declared_conduct(node: syntax.Rule) -> str:
    match node.conduct:
        case None:
            return ""
        case syntax.Conduct(date=None):
            return "持续义务"
        case syntax.Conduct(date=syntax.FieldRef(path=path)):
            return path
    return "行为日期"


def _effective_date(source: syntax.PolicySource):
    for entry in source.meta:
        if entry.key == "施行日期" and entry.values and hasattr(entry.values[0], "year"):
            return entry.values[0]
    return None


def check_policy(source: syntax.PolicySource, vocabulary: Vocabulary) -> ir.Policy:
    return _Checker(source, vocabulary).check()
