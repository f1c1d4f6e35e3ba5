"""Aligning a gazette text's articles with a base policy's articles by what they say, not by number.

Used by `draft` (engine/draft.py). A county's measures may renumber, merge, split, add and drop
articles; its article 第二十六条 may be the base's 第二十七条. Each pair is scored by how much text
they share (difflib's matching blocks), the best pairs are taken first, and what is left is read
as merged (a base article whose text now stands inside a county article that already has its
partner), split (a county article made of part of a base article), new or repealed.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

_IGNORED = re.compile(r"[\s\u3000]+")
PAIR_THRESHOLD = 0.45  # below this share of common text two articles are different articles
COVER_THRESHOLD = 0.6  # the share of an article's text found inside another for merged/split


def comparable(text: str) -> str:
    """Text as alignment compares it: spaces, which the gazette uses unevenly, removed."""
    return _IGNORED.sub("", text)


@dataclass(frozen=True, slots=True)
class Pair:
    base: int | None  # index into the base articles, None for a new article
    county: int | None  # index into the county articles, None for a repealed one
    status: str  # 未改 | 修改 | 新增 | 废止 | 并入 | 拆分
    similarity: float
    partner: int | None = None  # for 并入: the county article it went into; for 拆分: the base it came from


@dataclass
class Alignment:
    pairs: list[Pair] = field(default_factory=list)

    def of_county(self, index: int) -> Pair:
        return next(p for p in self.pairs if p.county == index and p.status != "并入")

    def merged_into(self, county_index: int) -> list[int]:
        return [p.base for p in self.pairs if p.status == "并入" and p.partner == county_index]


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _covered(part: str, whole: str) -> float:
    """How much of `part` stands inside `whole`."""
    if not part:
        return 0.0
    blocks = difflib.SequenceMatcher(None, part, whole, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks if block.size >= 4) / len(part)


def align(base_texts: list[str], county_texts: list[str]) -> Alignment:
    base = [comparable(t) for t in base_texts]
    county = [comparable(t) for t in county_texts]
    scores = []
    for i, b in enumerate(base):
        for j, c in enumerate(county):
            if b == c:
                scores.append((2.0, i, j))  # identical text beats everything
                continue
            quick = difflib.SequenceMatcher(None, b, c, autojunk=False).quick_ratio()
            if quick >= PAIR_THRESHOLD:
                score = _similarity(b, c)
                if score >= PAIR_THRESHOLD:
                    # Articles rarely move far: between equal scores, prefer the nearer position.
                    scores.append((score - abs(i / max(len(base), 1) - j / max(len(county), 1)) * 0.01, i, j))
    scores.sort(reverse=True)
    taken_base: dict[int, int] = {}
    taken_county: dict[int, int] = {}
    result = Alignment()
    for score, i, j in scores:
        if i in taken_base or j in taken_county:
            continue
        taken_base[i], taken_county[j] = j, i
        status = "未改" if base[i] == county[j] else "修改"
        result.pairs.append(Pair(i, j, status, min(score, 1.0)))
    for i, b in enumerate(base):
        if i in taken_base:
            continue
        host = max(range(len(county)), key=lambda j: _covered(b, county[j]), default=None)
        if host is not None and _covered(b, county[host]) >= COVER_THRESHOLD:
            result.pairs.append(Pair(i, host, "并入", _covered(b, county[host]), partner=host))
        else:
            result.pairs.append(Pair(i, None, "废止", 0.0))
    _first_article_hosts(result, base, county)
    for j, c in enumerate(county):
        if j in taken_county:
            continue
        source = max(range(len(base)), key=lambda i: _covered(c, base[i]), default=None)
        if source is not None and _covered(c, base[source]) >= COVER_THRESHOLD:
            result.pairs.append(Pair(None, j, "拆分", _covered(c, base[source]), partner=source))
        else:
            result.pairs.append(Pair(None, j, "新增", 0.0))
    return result


def _first_article_hosts(result: Alignment, base: list[str], county: list[str]) -> None:
    """When two base articles were merged into one, the county article continues the first of them
    (the usual drafting: 第十二条 absorbs 第十三条), whichever of the two happened to score higher."""
    for index, pair in enumerate(result.pairs):
        if pair.status != "并入":
            continue
        partner = next(k for k, p in enumerate(result.pairs) if p.county == pair.partner and p.status in ("未改", "修改"))
        host = result.pairs[partner]
        if pair.base < host.base:
            j = pair.partner
            result.pairs[partner] = Pair(pair.base, j, "修改", _similarity(base[pair.base], county[j]))
            result.pairs[index] = Pair(host.base, j, "并入", _covered(base[host.base], county[j]), partner=j)


def position_map(base: str, county: str):
    """A function from a position in `base` to the position of the same character in `county`
    (None where the character was changed or dropped)."""
    blocks = difflib.SequenceMatcher(None, base, county, autojunk=False).get_matching_blocks()

    def to_county(position: int) -> int | None:
        for block in blocks:
            if block.a <= position < block.a + block.size:
                return block.b + (position - block.a)
        return None

    return to_county
