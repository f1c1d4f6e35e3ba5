"""Stage 2 → 3, second step: one rule lowered to the IR, a pure function of (rule, environment).

`lower_rule(node, article, environment)` resolves the rule's field and parameter names against
the Environment (engine/environment.py), checks value types, units and enumeration words, builds
computed terms (deadlines, percentages, counts), inlines 认定, records every field and computed
term the rule reads, and dates its outcomes under 第四十六条 (in_force.py). It returns the rule
(or None), its mistakes and the parameters it used; it changes nothing else, so the checker
(checker.py) may lower rules in any order. What needs every rule at once is a pass (passes.py).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import assert_never

from . import ir, language, messages, syntax
from .environment import Environment
from .errors import PolicyError, Span
from .in_force import apply_effective_date, conduct_dates
from .text import article_label, did_you_mean, parse_article_label
from .values import Duration, format_value

ORDERED_TYPES = language.ORDERED_TYPES
# Comparison keyword → operator, split as the checks need: equality applies to any type, ordering to ordered ones.
_EQUALITY = {word: op for word, op in language.COMPARISON_OPS.items() if op in ("==", "!=")}
_ORDERING = {word: op for word, op in language.COMPARISON_OPS.items() if op not in ("==", "!=")}


@dataclass(frozen=True)
class LoweredRule:
    rule: ir.Rule | None  # None when the rule has a mistake
    errors: tuple[PolicyError, ...]
    uses: Counter  # 参数 and 认定 by name → how often the rule used them


def lower_rule(node: syntax.Rule, article: ir.ArticleInfo, environment: Environment) -> LoweredRule:
    """One rule of `article` in the IR, with every mistake found in it."""
    lowerer = Lowerer(environment, article.label)
    rule = lowerer.rule(node, article)
    return LoweredRule(None if lowerer.failed else rule, tuple(lowerer.errors), lowerer.uses)


class Lowerer:
    """Lowers one rule's conditions and operands, recording the fields and computed terms it reads."""

    def __init__(self, environment: Environment, article: str) -> None:
        self.env = environment
        self.article = article
        self.errors: list[PolicyError] = []
        self.uses: Counter = Counter()
        self.reads: dict[str, ir.FieldTerm] = {}
        self.terms: dict[ir.ComputedTerm, None] = {}
        self.failed = False
        self.expanding: set[str] = set()
        self.each: str | None = None
        self.counting = False  # a record list may be read as a whole only to count its records

    def rule(self, node: syntax.Rule, article: ir.ArticleInfo) -> ir.Rule | None:
        each = self.record_list(node.each) if node.each is not None else None
        guard = self.condition(node.guard) if node.guard is not None else ir.TRUE
        excepts: tuple[str, ...] = ()
        match node.body:
            case syntax.IfBody(condition=condition, kind=kind, summary=summary):
                lowered = self.condition(condition)
                # A 提示 only informs: when its facts are missing it says nothing rather than 无法判定.
                outcomes, undecided = (ir.Outcome("成立", lowered, kind, summary),), (None if kind == language.REMINDER else lowered)
            case syntax.DeadlineBody() as body:
                outcomes, undecided = self.deadline(body)
            case syntax.ExceptionBody(condition=condition, targets=targets, summary=summary):
                # Completed by passes.apply_exceptions, once the rules it excepts are known.
                outcomes, undecided = (ir.Outcome("例外", self.condition(condition), language.REMINDER, summary),), None
                excepts = targets
            case _:
                assert_never(node.body)
        declared, due = self.conduct(node)
        if self.failed:
            return None
        dates = conduct_dates(outcomes, declared, node.conduct is not None and node.conduct.date is None, due)
        outcomes, undecided, pre_effective = apply_effective_date(outcomes, undecided, dates, self.env.effective_date)
        is_gate = node.body.kind == language.NOT_APPLICABLE
        if is_gate and each:
            self.report("E134", node.span)
        if is_gate and any(ref for o in outcomes for ref in ir.finding_refs(o.condition)):
            self.report("E132", node.span)
            self.failed = True
            return None
        return ir.Rule(node.rule_id, article, node.quote, guard, outcomes, tuple(self.reads.values()), tuple(self.terms),
                       stratum=0, is_gate=is_gate, undecided=undecided, each=each, span=node.span,
                       readings=tuple(r.text for r in node.readings), pre_effective=pre_effective,
                       conduct=_declared_conduct(node), excepts=excepts,
                       excepts_span=node.body.span if excepts else None)

    def conduct(self, node: syntax.Rule) -> tuple[ir.Term | None, ir.Term | None]:
        """The rule's declared 行为日期 (None when it has none, or is a 持续义务), and for a time
        limit the date field it asks for."""
        due = None
        if isinstance(node.body, syntax.DeadlineBody) and isinstance(node.body.due, syntax.FieldRef):
            due = self.single(node.body.due)
        if node.conduct is None or node.conduct.date is None:
            return None, due
        if isinstance(node.body, syntax.ExceptionBody) or node.body.kind == language.NOT_APPLICABLE:
            self.report("E158.scope", node.conduct.span, rule=node.rule_id)
            return None, due
        term = self.single(node.conduct.date)
        if term is not None and term.type != "日期":
            self.fail("E158", node.conduct.span, rule=node.rule_id, type=_type_name(term))
            return None, due
        return term, due

    def record_list(self, node: syntax.FieldRef) -> str | None:
        spec = self.env.vocabulary.get(node.path)
        if spec is None or spec.type != "记录列表":
            lists = [p for p, f in self.env.vocabulary.fields.items() if f.type == "记录列表"]
            self.fail("E147", node.span, path=node.path, lists="、".join(lists))
            return None
        self.each = node.path
        return node.path

    def fail(self, message_key: str, span: Span, hint: str | None = None, **args) -> None:
        """A mistake that leaves the rule unusable."""
        self.failed = True
        self.report(message_key, span, hint, **args)

    def report(self, message_key: str, span: Span | None, hint: str | None = None, **args) -> None:
        """Record the error for a message key of engine.messages.POLICY, in the rule's article."""
        self.errors.append(PolicyError.of(message_key, span, article=self.article, hint=hint, **args))

    # ---------------------------------------------------------- operands
    def operand(self, node: syntax.Operand) -> tuple[ir.Term, ...] | None:
        """An operand lowers to one term, or several for a list parameter; None after an error."""
        match node:
            case syntax.FieldRef(path=path, span=span):
                spec = self.env.vocabulary.get(path)
                item_spec = self.env.vocabulary.item_field(path)
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
                    close = did_you_mean(path, self.env.vocabulary.policy_paths())
                    self.fail("E140", span, messages.DID_YOU_MEAN.format(words="」或「".join(close)) if close else None, field=path)
                    return None
                # A record list counts as an event list: absent means no records.
                term = ir.FieldTerm(path, spec.type, spec.event or spec.type == "记录列表")
                self.reads.setdefault(path, term)
                return (term,)
            case syntax.ParamRef(name=name, span=span):
                if name not in self.env.params:
                    close = did_you_mean(name, list(self.env.params))
                    self.fail("E141", span, messages.DID_YOU_MEAN_PARAMETER.format(words="】或【".join(close)) if close else None,
                              name=name)
                    return None
                self.uses[name] += 1
                return self.env.params[name]
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
        elif node.name == "下一周年日" and base.type == "日期":
            term = ir.ComputedTerm("next_anniversary", base, None, "日期", f"{base.path}下一周年日")
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
                rule_ids = self.finding_rules(label, kind, span)
                if rule_ids is None:
                    self.failed = True
                    return ir.TRUE
                if not rule_ids:
                    self.fail("E133", span, label=label, kind=kind)
                    return ir.TRUE
                number = parse_article_label(label)
                return ir.FindingExists(article_label(*number), kind, rule_ids)
            case syntax.RuleFindingRef(rule_ids=named, kind=kind, span=span):
                by_article = self.named_finding_rules(named, kind, span)
                if by_article is None:
                    self.failed = True
                    return ir.TRUE
                refs = tuple(ir.FindingExists(label, kind, ids) for label, ids in by_article.items())
                return refs[0] if len(refs) == 1 else ir.Or(refs)
        raise AssertionError(f"unhandled condition {node!r}")

    def finding_rules(self, label: str, kind: str, span: Span) -> tuple[str, ...] | None:
        number = parse_article_label(label)
        if number is None or number not in self.env.articles:
            self.report("E130", span, label=label)
            return None
        return self.env.finding_rules(number, kind)

    def named_finding_rules(self, rule_ids: tuple[str, ...], kind: str, span: Span) -> dict[str, tuple[str, ...]] | None:
        """违反规则 28.3、33.1: the named rules grouped by article, each checked to exist and to be able
        to produce `kind` (a reference that can never hold is an error, as for 违反第N条)."""
        grouped: dict[str, tuple[str, ...]] = {}
        ok = True
        for rule_id in rule_ids:
            if rule_id not in self.env.rule_articles:
                self.report("E135", span, rule=rule_id)
                ok = False
                continue
            if kind not in self.env.rule_articles[rule_id][1]:
                self.report("E133.rule", span, rule=rule_id, kind=kind)
                ok = False
                continue
            canonical = self.env.canonical_article(rule_id)
            grouped[canonical] = (*grouped.get(canonical, ()), rule_id)
        return grouped if ok else None

    def derived(self, name: str, span: Span) -> ir.Cond:
        """A 认定 is inlined where it is used, so each rule still records every field it reads."""
        definition = self.env.definitions.get(name)
        if definition is None:
            if name in self.env.params:
                self.fail("E145.parameter", span, name=name)
            else:
                close = did_you_mean(name, list(self.env.definitions))
                self.fail("E145", span, messages.DID_YOU_MEAN_PARAMETER.format(words="】或【".join(close)) if close else None,
                          name=name)
            return ir.TRUE
        if name in self.expanding:
            self.fail("E146", span, name=name)
            return ir.TRUE
        self.uses[name] += 1
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
        if ordered and lt not in ORDERED_TYPES:
            self.fail("E151", node.span, op=node.op, type=_type_name(left))
            return False
        for field_term, const in ((left, right), (right, left)):
            if isinstance(field_term, ir.FieldTerm) and isinstance(const, ir.ConstTerm):
                if not self.word_allowed(field_term, const, node.span) or not self.unit_matches(field_term, const, node.span):
                    return False
        return True

    def spec_of(self, term: ir.FieldTerm):
        """The vocabulary entry of a field, or of a field of one record (实施.变更.事项)."""
        vocabulary = self.env.vocabulary
        return vocabulary.item_field(term.path) if term.item else vocabulary.get(term.path)

    def word_allowed(self, term: ir.FieldTerm, const: ir.ConstTerm, span: Span) -> bool:
        spec = self.spec_of(term)
        if spec is not None and spec.words and const.value not in spec.words:
            close = did_you_mean(str(const.value), spec.words)
            self.fail("E152", span, messages.DID_YOU_MEAN.format(words=close[0]) if close else None,
                      word=const.value, field=term.path, words="、".join(spec.words))
            return False
        return True

    def unit_matches(self, term: ir.FieldTerm, const: ir.ConstTerm, span: Span) -> bool:
        spec = self.spec_of(term)
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
        meaning = language.LIST_TEST_OPS[node.op]
        if meaning in ("all", "any", "lacks", "none"):  # tests of a word list's words
            if left.type != "词列表":
                self.fail("E155", node.span, op=node.op, field=_describe(left), type=_type_name(left))
                return ir.TRUE
            if left.item:  # the durable backend keeps word flags for project lists only
                self.fail("E155.item", node.span, op=node.op, field=_describe(left))
                return ir.TRUE
            spec = self.spec_of(left)
            for item in items:
                if item.value not in spec.words:
                    self.word_allowed(left, item, node.span)
                    return ir.TRUE
            tests = tuple(ir.HasWord(left, str(i.value)) for i in items)
            if meaning == "all":
                return ir.And(tests)
            if meaning == "any":
                return ir.Or(tests)
            if meaning == "lacks":  # lacks at least one of them
                return ir.Or(tuple(ir.Not(t) for t in tests))
            return ir.And(tuple(ir.Not(t) for t in tests))  # none of them
        for item in items:
            if not self.comparable(left, item, node, ordered=False):
                return ir.TRUE
        member = ir.Or(tuple(ir.Compare(left, "==", i) for i in items))
        return member if meaning == "in" else ir.Not(member)

    def deadline(self, node: syntax.DeadlineBody) -> tuple[tuple[ir.Outcome, ...], ir.Cond | None]:
        """A time limit yields 待办 (with 截止日期) while the deadline is ahead and the obligation is
        unmet, the rule's kind once it has passed, and — when what is due is a date — also when it
        happened after the deadline. Which of these are judged under 第四十六条 is in_force.py's job."""
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
        if isinstance(node.due, syntax.FieldRef):
            due = self.single(node.due)
            if due is None:
                return (), None
            if not (isinstance(due, ir.FieldTerm) and due.type == "日期" and due.event):
                self.fail("E156", node.span)
                return (), None
            done: ir.Cond = ir.Filled(due)
            what = due.path
        else:
            done, what = self.condition(node.due), "本条规定的事项"
        # What is due must be done by the deadline: an event that happened after it was done late.
        in_time = by_deadline(done, deadline)
        late = () if in_time == done else (
            ir.Outcome("逾期办理", ir.And((started, done, ir.Not(in_time))), node.kind, node.summary, deadline),)
        pending = node.pending_summary or f"应在截止日期前完成：{what}"
        not_done = ir.Not(done)
        outcomes = (
            *late,
            ir.Outcome("逾期未办", ir.And((started, not_done, ir.Compare(as_of, ">", deadline))), node.kind, node.summary, deadline),
            ir.Outcome("未到期", ir.And((started, not_done, ir.Compare(as_of, "<=", deadline))), language.TODO, pending, deadline),
        )
        # Unknown when the deadline or the obligation cannot be read (an event date never is unknown):
        # whether it is overdue, or whether what was done was done in time.
        undecided = ir.Or(tuple(o.condition for o in outcomes if o.kind != language.TODO))
        return outcomes, undecided


def by_deadline(cond: ir.Cond, deadline: ir.Term) -> ir.Cond:
    """`cond` read as "by the deadline": every event date it tests as 已填 must have happened on or
    before the deadline (an event that has not happened is NEVER, later than every deadline)."""
    def in_time(test: ir.Cond) -> ir.Cond:
        match test:
            case ir.Filled(term=term) if term.event and term.type == "日期":
                return ir.Compare(term, "<=", deadline)
            case ir.Filled() | ir.Compare() | ir.HasWord() | ir.FindingExists():
                return test  # not an event, or not a test of one: the same by any date
            case _:
                assert_never(test)
    return ir.map_tests(cond, in_time)


def _declared_conduct(node: syntax.Rule) -> str:
    match node.conduct:
        case None:
            return ""
        case syntax.Conduct(date=None):
            return "持续义务"
        case syntax.Conduct(date=syntax.FieldRef(path=path)):
            return path
    return "行为日期"


def _type_name(term: ir.Term) -> str:
    kind = language.TYPES.get(term.type)
    return kind.label if kind else term.type


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
