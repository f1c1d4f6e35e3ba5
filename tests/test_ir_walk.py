"""IR nodes list their children, and every walker of conditions either walks a node it does not
know through `children()` or refuses it: a node added to engine/ir.py cannot slip silently past
`finding_refs` (and land in the wrong stratum) or be read as false by a backend."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest

from engine import engine_limits, findings, ir, lint, lowering, policy, reference
from engine.durable_backend import _collect_words, _Encoding, _PlanCompiler
from engine.errors import Span
from engine.valuation import Valuation

SPAN = Span("试验.rules", 1, 1, 1, 2)
ARTICLE = ir.ArticleInfo(28, 0, "第二十八条", "采购", ("原文",), "第一章", False, SPAN)
DATE = ir.FieldTerm("合同.签订日期", "日期", event=True)
AMOUNT = ir.FieldTerm("项目.总预算", "金额")
WORDS = ir.FieldTerm("项目.类别", "词列表")
DEADLINE = ir.ComputedTerm("add_workdays", DATE, None, "日期", "合同.签订日期+10个工作日")
REF = ir.FindingExists("第十三条", "违规", ("13.1",))


@dataclass(frozen=True, slots=True)
class Unheard(ir.Node):
    """A condition no walker has been taught: it wraps another, as a new connective would."""

    item: ir.Cond

    def children(self) -> tuple[ir.Node, ...]:
        return (self.item,)


@dataclass(frozen=True, slots=True)
class Childless(ir.Node):
    """A node that forgot to say what is inside it."""

    item: ir.Cond


def _rule(applies: ir.Cond) -> ir.Rule:
    """A rule that applies under `applies` (an outcome's condition refuses an unknown node when it
    is built: Outcome reads its fields)."""
    return ir.Rule("28.1", ARTICLE, "原文", applies, (ir.Outcome("成立", ir.TRUE, "违规", "摘要"),), (DATE, AMOUNT),
                   (), stratum=0, is_gate=False, undecided=applies, each=None, span=SPAN)


def test_children_of_every_node_in_source_order():
    compare = ir.Compare(DEADLINE, "<", ir.ConstTerm("日期", dt.date(2025, 1, 1)))
    assert DATE.children() == () and ir.ConstTerm("金额", Decimal(1)).children() == ()
    assert DEADLINE.children() == (DATE,)
    assert compare.children() == (DEADLINE, compare.right)
    assert ir.HasWord(WORDS, "云").children() == (WORDS,)
    assert ir.Filled(DATE).children() == (DATE,)
    assert REF.children() == ()
    assert ir.And((compare, REF)).children() == (compare, REF) == ir.Or((compare, REF)).children()
    assert ir.Not(REF).children() == (REF,) == ir.NotProven(REF).children()


def test_walk_is_depth_first_in_source_order_and_needs_no_recursion():
    compare = ir.Compare(DEADLINE, ">", ir.ConstTerm("日期", dt.date(2025, 1, 1)))
    cond = ir.And((ir.Not(compare), REF))
    assert list(cond.walk()) == [cond, ir.Not(compare), compare, DEADLINE, DATE, compare.right, REF]
    deep: ir.Cond = REF
    for _ in range(5_000):  # far deeper than Python's recursion limit
        deep = ir.Not(deep)
    assert ir.finding_refs(deep) == [REF]


def test_walkers_that_only_collect_look_inside_a_node_they_do_not_know():
    hidden = Unheard(ir.And((ir.Compare(AMOUNT, ">", ir.ConstTerm("金额", Decimal(5_000_000))), ir.HasWord(WORDS, "云"), REF)))
    assert ir.finding_refs(hidden) == [REF]
    assert _rule(hidden).finding_refs() == [REF]  # what decides the rule's stratum
    words: dict = {}
    _collect_words(hidden, words)
    assert list(words) == [("项目.类别", "云")]
    assert engine_limits._constants(_rule(hidden)) == [ir.ConstTerm("金额", Decimal(5_000_000))]
    assert lint._constants(_rule(hidden)) == [("金额", Decimal(5_000_000))]
    assert policy._condition_size(_rule(hidden)) == 2 * len(list(hidden.walk())) + 1  # applies, undecided, outcome
    with pytest.raises(AssertionError, match="Unheard"):
        ir.Outcome("成立", hidden, "违规", "摘要")


def test_a_node_that_does_not_list_its_children_is_refused_by_every_walk():
    with pytest.raises(NotImplementedError, match="Childless does not list its children"):
        ir.finding_refs(ir.And((Childless(REF),)))


def test_walkers_that_give_meaning_refuse_a_node_they_do_not_know():
    hidden = Unheard(REF)
    values = Valuation({}, {})
    compiler = _PlanCompiler.__new__(_PlanCompiler)  # the dispatch needs no encoding to refuse
    compiler.encoding, compiler.always_present = None, set()
    refusals = {
        "fields_of": lambda: ir.fields_of(hidden),
        "kleene": lambda: reference.kleene(hidden, values, set()),
        "durable true": lambda: compiler.true(hidden),
        "durable false": lambda: compiler.false(hidden),
        "durable unknown": lambda: compiler.unknown(hidden),
        "engine limits": lambda: engine_limits._sizes(hidden),
        "excesses": lambda: findings.excesses(hidden, values),
        "by_deadline": lambda: lowering.by_deadline(hidden, DEADLINE),
    }
    for name, walker in refusals.items():
        with pytest.raises(AssertionError, match="Unheard"):  # assert_never names the node it met
            walker()


def test_the_durable_encoding_sees_words_inside_any_node():
    rule = replace(_rule(Unheard(ir.HasWord(WORDS, "云"))), reads=(WORDS,))
    encoding = _Encoding(ir.Policy("试验.rules", "0", ir.PolicyMeta("", "", None, None, (), None), (ARTICLE,), (rule,)))
    assert ("项目.类别", "云") in encoding.words
