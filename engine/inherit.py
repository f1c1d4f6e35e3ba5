"""Forks: a policy that inherits another (继承 “jinxiang_2024.rules”) and says only what differs.

Stage 1½, between parsing and checking: the base (and its own base, if any) is parsed, and the
fork's changes are applied to its syntax tree — metadata it sets, parameters it changes (参数) or
adds (新增参数), articles it amends (修改), repeals (废止) or adds — giving one merged syntax tree
that the checker then checks as a whole. Each node keeps the span of the file it came from, so
findings cite the fork's own article numbers and text, and errors point into the right file.

A fork may also extend the facts vocabulary (词汇 “…yaml”): the extension may add fields, never
change or remove the base's, so a facts file written for the base still validates under the fork.
Every file a policy names must lie inside the policy's own folder.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .parser import parse_policy_text

from . import messages, syntax
from .errors import ErrorCollector, FactsError, PolicyError, Span, relative_name
from .policy_files import PolicyFiles, vocabulary_error
from .renumber import apply_numbering, check_contiguous
from .text import article_label, parse_article_label
from .vocabulary import DEFAULT_VOCABULARY, Vocabulary, parse_vocabulary, read_vocabulary_data

_HEADER = re.compile(r"^[ \t\u3000]*(继承|修订|词汇)[ \t\u3000:：]*[\"“「]([^\"”」\n]+)[\"”」]", re.MULTILINE)
MAX_DEPTH = 8


def header_references(text: str) -> dict[str, tuple[str, Span]]:
    """继承 (or 修订) and 词汇 are read before parsing: the vocabulary decides which field names the grammar
    accepts. Returns key → (named file, span of the line's entry, with the file left blank)."""
    found = {}
    for match in _HEADER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        line_start = text.rfind("\n", 0, match.start()) + 1
        start = match.start(1) - line_start + 1
        found.setdefault(match.group(1), (match.group(2), Span("", line, start, line, match.end() - line_start + 1)))
    if "修订" in found:  # a revision inherits the version it revises, as a fork inherits its base
        found.setdefault("继承", found["修订"])
    return found


def _at(span: Span, file: str) -> Span:
    return Span(file, span.line, span.column, span.end_line, span.end_column)


def resolve_inside(folder: Path, name: str, span: Span, what: str, text: str) -> Path:
    """A file named by a policy, which must lie inside the policy's own folder."""
    path = (folder / name).resolve()
    if folder.resolve() != path.parent and folder.resolve() not in path.parents:
        raise PolicyError.of("E170", span, source=text, what=what, name=name)
    if not path.is_file():
        raise PolicyError.of("E171", span, source=text, what=what, name=name, folder=relative_name(folder))
    return path


def load_vocabulary_chain(path: Path, text: str, files: PolicyFiles) -> tuple[Vocabulary, list[Path]]:
    """The vocabulary of a policy: the base vocabulary, extended by every 词汇 along its 继承 chain."""
    extensions: list[tuple[Path, Span, str]] = []
    current_path, current_text, seen = path, text, (path.resolve(),)
    for _ in range(MAX_DEPTH):
        refs = header_references(current_text)
        display = relative_name(current_path)
        if "词汇" in refs:
            name, where = refs["词汇"]
            span = _at(where, display)
            extensions.append((resolve_inside(current_path.parent, name, span, "词汇文件", current_text), span, current_text))
        if "继承" not in refs:
            break
        name, where = refs["继承"]
        span = _at(where, display)
        base = resolve_inside(current_path.parent, name, span, "继承的政策文件", current_text)
        if base in seen:
            break  # reported as a cycle by parse_with_bases, with its location
        current_path, current_text, seen = base, files.policy_text(base, span, current_text), (*seen, base)
    data = read_vocabulary_data(DEFAULT_VOCABULARY) or {}
    for extension, span, text_of_policy in reversed(extensions):
        extra = files.vocabulary_data(extension, span, text_of_policy)
        if not isinstance(extra, dict):
            raise vocabulary_error(FactsError("E310", messages.VOCABULARY_TOP, file=extension.name), extension, span, text_of_policy)
        try:
            data = _extend(data, extra, "", span)
        except PolicyError as error:
            error.source = text_of_policy
            raise
    try:
        return parse_vocabulary(data, str(DEFAULT_VOCABULARY)), [e for e, _, _ in extensions]
    except FactsError as error:
        # A mistake in a field an extension declared or changed is reported at the 词汇 line naming it.
        for extension, span, text_of_policy in extensions:
            if _declares(files.vocabulary_data(extension, span, text_of_policy), error.key_path):
                raise vocabulary_error(error, extension, span, text_of_policy) from None
        raise


def _declares(data: dict, key_path: str) -> bool:
    node = data
    for part in key_path.split("."):
        if isinstance(node, dict) and part not in node and isinstance(node.get("字段"), dict):
            node = node["字段"]  # a record list's fields
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


_WORD_LIST_CHANGES = {"取值", "新增取值"}


def _extend(base: dict, extra: dict, prefix: str, span: Span) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        path = f"{prefix}{key}"
        if key not in merged:
            merged[key] = value
        elif _is_word_list_change(merged[key], value):
            # A county's platforms and bodies differ (山东通 here, 豫事办 there): a fork may replace
            # (取值) or extend (新增取值) the words of an existing word field; its type stays.
            field = dict(merged[key])
            if "取值" in value:
                field["取值"] = list(value["取值"])
            field["取值"] = [*field["取值"], *(w for w in value.get("新增取值", []) if w not in field["取值"])]
            merged[key] = field
        elif isinstance(merged[key], dict) and "类型" not in merged[key] and isinstance(value, dict) and "类型" not in value:
            merged[key] = _extend(merged[key], value, f"{path}.", span)
        else:
            raise PolicyError.of("E172.change", span, path=path)
    return merged


def _is_word_list_change(field, change) -> bool:
    return (isinstance(field, dict) and field.get("类型") in ("词", "词列表") and isinstance(change, dict)
            and bool(change) and set(change) <= _WORD_LIST_CHANGES
            and all(isinstance(v, list) and all(isinstance(w, str) for w in v) for v in change.values()))


def parse_with_bases(path: Path, text: str, field_names: tuple[str, ...], files: PolicyFiles,
                     chain: tuple[Path, ...] = ()) -> syntax.PolicySource:
    """The merged syntax tree of a policy and everything it inherits."""
    source = parse_policy_text(text, relative_name(path), field_names)
    refs = header_references(text)
    if "继承" not in refs:
        return source  # 修改 and 废止 without a base are reported by the checker
    name, where = refs["继承"]
    span = _at(where, source.file)
    if len(chain) >= MAX_DEPTH:
        raise PolicyError.of("E174", span, source=text, limit=MAX_DEPTH)
    base_path = resolve_inside(path.parent, name, span, "继承的政策文件", text)
    here = (*chain, path.resolve())
    if base_path in here:
        cycle = " → ".join(p.name for p in (*here[here.index(base_path):], base_path))
        raise PolicyError.of("E173", span, source=text, cycle=cycle)
    base_text = files.policy_text(base_path, span, text)
    base = _parsed_base(base_path, base_text, field_names, here, Path.cwd(), files.policy_texts())
    return merge_inherited(base, source)


@lru_cache(maxsize=8)
def _parsed_base(path: Path, text: str, field_names: tuple[str, ...], chain: tuple[Path, ...], cwd: Path,
                 read: tuple[tuple[Path, str], ...]) -> syntax.PolicySource:
    """A base is parsed again only when its text changes: the language server checks a fork at every
    keystroke. The tree is immutable; `cwd` is in the key because spans name files relative to it.
    `read` holds the texts this compile has read already, so a base's own base is not read again."""
    return parse_with_bases(path, text, field_names, PolicyFiles(read), chain)


def merge_inherited(base: syntax.PolicySource, fork: syntax.PolicySource) -> syntax.PolicySource:
    texts = dict(base.texts)
    texts.update(fork.texts)
    errors = ErrorCollector(texts)
    meta = _merge_meta(base.meta, fork.meta)
    params = _merge_params(base.params, fork.params, errors)
    definitions = {d.name: d for d in base.definitions}
    definitions.update({d.name: d for d in fork.definitions})
    articles = {parse_article_label(a.label): a for a in base.articles}
    # 废止 names a base article by the base's own number; 条号对照 then gives the rest the county's
    # numbers, and 修改 and new articles speak of the county's numbers.
    repealed = list(base.repealed)
    for repeal in fork.repeals:
        number = parse_article_label(repeal.label)
        gone = articles.pop(number, None) if number is not None else None
        if number is None:
            errors.add(PolicyError.of("E113", repeal.span, text=repeal.label))
        elif gone is None:
            errors.add(PolicyError.of("E175", repeal.span, label=_label(number, repeal.label)))
        else:
            repealed.append((article_label(*number), gone.title))
    if fork.numbering:
        kept = replace(base, articles=tuple(articles.values()), definitions=tuple(definitions.values()))
        renumbered = apply_numbering(kept, fork.numbering, errors)
        articles = {parse_article_label(a.label): a for a in renumbered.articles}
        definitions = {d.name: d for d in renumbered.definitions}
        definitions.update({d.name: d for d in fork.definitions})
    for article in fork.articles:
        number = parse_article_label(article.label)
        if number is None:  # 第10000条, 第零条: no article can have that number
            errors.add(PolicyError.of("E113", article.span, text=article.label))
            continue
        old = articles.get(number)
        if article.amends:
            if old is None:
                errors.add(PolicyError.of("E176", article.span, label=_label(number, article.label)))
                continue
            articles[number] = replace(
                old, title=article.title or old.title, text=article.text or old.text,
                errata=article.errata if article.text else old.errata,
                rules=article.rules if article.rules or article.declarative else old.rules,
                declarative=article.declarative or (old.declarative and not article.rules), span=article.span)
        elif old is not None:
            errors.add(PolicyError.of("E177", article.span, label=_label(number, article.label)))
        else:
            articles[number] = article if article.chapter else replace(article, chapter=_chapter_before(articles, number))
    _apply_rule_changes(articles, fork, errors)
    ordered = tuple(articles[n] for n in sorted(k for k in articles if k is not None))
    check_contiguous(ordered, fork.numbering, errors)
    errors.raise_if_any()
    return syntax.PolicySource(fork.file, fork.text, meta, params, tuple(definitions.values()), ordered,
                               texts=tuple(texts.items()), repealed=tuple(repealed))


def _apply_rule_changes(articles: dict, fork: syntax.PolicySource, errors: ErrorCollector) -> None:
    """修改 规则 / 废止 规则: one rule of an (inherited or amended) article, found by its id."""
    changes = [(c.rule.rule_id, c.rule, c.span) for c in fork.rule_amendments]
    changes += [(r.rule_id, None, r.span) for r in fork.rule_repeals]
    for rule_id, rule, span in changes:
        number = parse_article_label(article_label(*_rule_article(rule_id)))
        article = articles.get(number)
        if article is None or rule_id not in {r.rule_id for r in article.rules}:
            errors.add(PolicyError.of("E197", span, rule=rule_id, action="修改" if rule else "废止"))
            continue
        kept = tuple(rule if r.rule_id == rule_id else r for r in article.rules if rule is not None or r.rule_id != rule_id)
        articles[number] = replace(article, rules=kept)


def _rule_article(rule_id: str) -> tuple[int, int]:
    head = rule_id.rsplit(".", 1)[0]
    main, _, sub = head.partition("之")
    return int(main), int(sub or 0)


def _label(number, written: str) -> str:
    return article_label(*number) if number else written


def _chapter_before(articles: dict, number) -> str:
    earlier = [k for k in articles if k is not None and k < number]
    return articles[max(earlier)].chapter if earlier else ""


def _merge_meta(base: tuple[syntax.MetaEntry, ...], fork: tuple[syntax.MetaEntry, ...]) -> tuple[syntax.MetaEntry, ...]:
    own = {entry.key for entry in fork}
    # 原文出处 names the base's own gazette copy: a fork quoting different text names its own, if any.
    kept = [entry for entry in base if entry.key not in own and entry.key not in ("继承", "修订", "词汇", "原文出处")]
    return (*kept, *(entry for entry in fork if entry.key not in ("继承", "修订", "词汇")))


def _merge_params(base: tuple[syntax.ParamDecl, ...], fork: tuple[syntax.ParamDecl, ...], errors: ErrorCollector):
    merged = {p.name: p for p in base}
    for param in fork:
        if param.added and param.name in merged:
            errors.add(PolicyError.of("E178", param.span, name=param.name))
        elif not param.added and param.name not in merged:
            errors.add(PolicyError.of("E179", param.span, name=param.name))
        else:
            merged[param.name] = replace(param, added=False)
    return tuple(merged.values())
