"""Stage 2 → 3: the syntax tree is checked and lowered to the engine-neutral IR (engine.ir), in
three explicit steps, as OPA's compiler does:

1. resolve (environment.py): the header, 参数, 认定 and articles → an immutable Environment;
2. lower (lowering.py): each rule → IR, a pure function of (rule, environment); this module adds
   the checks of a rule against its article: its id, that its 依据 is quoted verbatim from the
   article, and that its finding kind agrees with the modal word of that quote;
3. the checker passes (passes.py: exceptions, gate, strata), in order.

All errors of a policy are collected before any is reported.
"""
from __future__ import annotations

import hashlib

from . import ir, language, syntax
from .environment import resolve
from .errors import ErrorCollector, PolicyError
from .lowering import lower_rule
from .passes import CHECKER_PASSES
from .vocabulary import Vocabulary



def check_policy(source: syntax.PolicySource, vocabulary: Vocabulary) -> ir.Policy:
    """The checked policy in the IR, or PolicyErrors with every mistake found in it."""
    errors = ErrorCollector(dict(source.texts) or {source.file: source.text})
    environment, resolve_errors = resolve(source, vocabulary)
    for error in resolve_errors:
        errors.add(error)
    # Declared 参数 and 认定 start unused (lint reports them); 【施行日期】 counts once it is used.
    uses = dict.fromkeys((*(d.name for d in source.params), *environment.definitions), 0)
    rules: list[ir.Rule] = []
    seen_ids: set[str] = set()
    for article, node in environment.article_nodes:
        for rule_node in node.rules:
            for error in _rule_errors(rule_node, article, seen_ids):
                errors.add(error)
            seen_ids.add(rule_node.rule_id)
            lowered = lower_rule(rule_node, article, environment)
            for error in lowered.errors:
                errors.add(error)
            for name, count in lowered.uses.items():
                uses[name] = uses.get(name, 0) + count
            if lowered.rule is not None:
                rules.append(lowered.rule)
    checked = tuple(rules)
    for _name, run in CHECKER_PASSES:
        checked, pass_errors = run(checked)
        for error in pass_errors:
            errors.add(error)
    errors.raise_if_any()
    fingerprint = hashlib.sha256("".join(t for _, t in source.texts or ((None, source.text),)).encode("utf-8")).hexdigest()[:12]
    return ir.Policy(source.file, fingerprint, environment.meta, tuple(a for a, _ in environment.article_nodes), checked,
                     dict(environment.params), uses, source.texts or ((source.file, source.text),),
                     repealed=source.repealed)


def _rule_errors(node: syntax.Rule, article: ir.ArticleInfo, seen_ids: set[str]) -> list[PolicyError]:
    """A rule checked against its article: its number, a unique id, a verbatim 依据, a kind its
    quote's modal word allows."""
    found: list[PolicyError] = []

    def fail(message_key: str, span, **args) -> None:
        found.append(PolicyError.of(message_key, span, article=article.label, **args))

    prefix = node.rule_id.rsplit(".", 1)[0]
    expected = f"{article.number}之{article.sub}" if article.sub else str(article.number)
    if prefix != expected:
        fail("E120", node.span, rule=node.rule_id, number=expected)
    if node.rule_id in seen_ids:
        fail("E121", node.span, rule=node.rule_id)
    if node.quote not in "\n".join(article.text):
        fail("E122", node.quote_span, quote=node.quote, label=article.label)
    _check_modal(node, fail)
    return found


def _check_modal(node: syntax.Rule, fail) -> None:
    kind, quote = node.body.kind, node.quote
    modal = language.modal_of(quote)  # the quote's strongest modal group and its word
    licensed = language.KINDS[kind].licensed_by
    if modal and kind != language.REMINDER and licensed and modal[0] not in licensed:
        fail("E123", node.body.span, rule=node.rule_id, kind=kind, modal=modal[1])
    if isinstance(node.body, syntax.ExceptionBody):
        return
    duty = language.MANDATORY.search(quote)
    if kind == language.REMINDER and duty and not language.softened(quote) and node.reminder is None:
        fail("E125", node.body.span, rule=node.rule_id, modal=duty.group(0))
    if node.reminder is not None and kind != language.REMINDER:
        fail("E126", node.reminder.span, rule=node.rule_id, kind=kind)
