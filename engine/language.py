"""The policy language, defined once: finding kinds, value types, units, keywords, article numbers.

Everything else derives from these tables rather than keeping its own word list: the grammar's
KIND/UNIT/COMPARISON/… alternatives (engine/parser.py fills them into policy.lark when the parser
is built), the lowering of comparisons, the modal-word checks, the formatter's headings, lint,
did-you-mean, the renderers' styles and the workbench page (through /api/meta). Adding a unit, a
comparison keyword or a finding kind is one entry here plus its tests.

This module imports nothing from the engine, so every stage may import it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# ------------------------------------------------------------------ finding kinds
NOT_APPLICABLE = "不适用"
VIOLATION = "违规"
CONSEQUENCE = "后果"
WARNING = "警示"
TODO = "待办"
UNDECIDED = "无法判定"
REMINDER = "提示"


@dataclass(frozen=True, slots=True)
class FindingKind:
    """One kind of finding. `breach`: the project does not comply (结论 不合规). `judges_conduct`:
    it judges what someone did, so conduct before the 施行日期 is not judged by it (第四十六条,
    engine/in_force.py). `written`: a rule may name it after 则/否则 (无法判定 only ever comes from
    missing facts). `licensed_by`: the groups of modal words (MODALS) of the quoted 原文 the kind
    stands on (the checker's E123; empty: any wording, as a sanction's or a deadline's). A 提示 on
    a duty (MANDATORY) needs 只作提示 unless softened (E125). `style` is the terminal's (rich), `css`
    the page's class."""

    word: str
    breach: bool
    judges_conduct: bool
    written: bool
    licensed_by: tuple[str, ...]
    style: str
    css: str
    description: str


# In report order: a finding list and the page's groups are sorted by position here.
FINDING_KINDS: tuple[FindingKind, ...] = (
    FindingKind(NOT_APPLICABLE, False, False, True, (), "dim", "kind-not-applicable", "本办法不适用于该项目（其余规则不再检查）"),
    FindingKind(VIOLATION, True, True, True, ("binding",), "bold red", "kind-violation", "违反必须履行的义务"),
    FindingKind(CONSEQUENCE, True, True, True, (), "bold magenta", "kind-consequence", "违规引起的处理后果"),
    FindingKind(WARNING, False, True, True, ("soft", "encouraging"), "yellow", "kind-warning", "“一般”“原则上”等非强制要求未满足"),
    FindingKind(TODO, False, False, True, (), "cyan", "kind-todo", "期限未到的义务"),
    FindingKind(UNDECIDED, False, False, False, (), "blue", "kind-undecided", "缺少事实，无法判定"),
    FindingKind(REMINDER, False, False, True, ("soft", "encouraging"), "green", "kind-reminder", "提醒注意，不构成违规"),
)
KINDS: dict[str, FindingKind] = {kind.word: kind for kind in FINDING_KINDS}
KIND_ORDER: tuple[str, ...] = tuple(KINDS)
BREACH_KINDS: frozenset[str] = frozenset(k.word for k in FINDING_KINDS if k.breach)
CONDUCT_KINDS: frozenset[str] = frozenset(k.word for k in FINDING_KINDS if k.judges_conduct)
WRITTEN_KINDS: tuple[str, ...] = tuple(k.word for k in FINDING_KINDS if k.written)

# A report's 结论, from the kinds of its findings: the first whose kinds are among them, else 合规.
COMPLIANT = "合规"
CONCLUSIONS: tuple[tuple[str, frozenset[str]], ...] = (
    ("不适用", frozenset({NOT_APPLICABLE})),
    ("不合规", BREACH_KINDS),
    ("信息不全", frozenset({UNDECIDED})),
)
# The kind whose style a conclusion is shown in.
CONCLUSION_KIND: dict[str, str] = {"不适用": NOT_APPLICABLE, "不合规": VIOLATION, "信息不全": UNDECIDED, COMPLIANT: REMINDER}


def conclusion(kinds) -> str:
    """结论 of a report whose findings have these kinds."""
    present = set(kinds)
    return next((name for name, among in CONCLUSIONS if present & among), COMPLIANT)


# The modal words of a quoted 原文 that decide which kinds it licenses (E123, E125).
MODALS: dict[str, tuple[str, ...]] = {
    "binding": ("应", "不得", "一律", "严格", "必须", "须"),
    "soft": ("一般", "原则上"),
    "encouraging": ("鼓励", "优先", "重点支持"),
}
# A duty a 提示 may not stand on without 只作提示 (相应、对应、供应 … are not 应).
MANDATORY = re.compile(r"(?<![相对供响适反答])应当?|必须")
# Which group speaks when a quote has several: 一般应 is soft; 鼓励…应 is binding.
_MODAL_STRENGTH = ("soft", "binding", "encouraging")


def _modal_patterns() -> dict[str, re.Pattern[str]]:
    return {group: re.compile("|".join(map(re.escape, words))) for group, words in MODALS.items()}


_MODAL_PATTERNS = _modal_patterns()


def modal_of(quote: str) -> tuple[str, str] | None:
    """(group, word) of the modal wording that decides what a quote licenses, or None."""
    for group in _MODAL_STRENGTH:
        found = _MODAL_PATTERNS[group].search(quote)
        if found:
            return group, found.group(0)
    return None


def softened(quote: str) -> bool:
    """The quote softens or only encourages (一般、原则上、鼓励 …): a 提示 may stand on its 应."""
    return any(_MODAL_PATTERNS[group].search(quote) for group in KINDS[REMINDER].licensed_by)


# ------------------------------------------------------------------ value types
@dataclass(frozen=True, slots=True)
class ValueType:
    """A type of value. `fact`: a facts vocabulary field may have it; `literal`: a policy may write
    a value of it; `ordered`: 低于/早于 … compare it; `label`: how a message names it."""

    word: str
    fact: bool
    literal: bool
    ordered: bool
    label: str


VALUE_TYPES_DEFINED: tuple[ValueType, ...] = (
    ValueType("文本", True, True, False, "文字"),
    ValueType("是否", True, True, False, "是否"),
    ValueType("金额", True, True, True, "金额"),
    ValueType("日期", True, True, True, "日期"),
    ValueType("期限", True, True, True, "期限"),
    ValueType("词", True, False, False, "可选词"),
    ValueType("词列表", True, False, False, "词列表"),
    ValueType("日期列表", True, False, False, "日期列表"),
    ValueType("年份列表", True, False, False, "年份列表"),
    ValueType("记录列表", True, False, False, "记录列表"),
    ValueType("百分比", False, True, False, "百分比"),
    ValueType("数量", False, True, True, "数量"),
)
TYPES: dict[str, ValueType] = {t.word: t for t in VALUE_TYPES_DEFINED}
FACT_TYPES: tuple[str, ...] = tuple(t.word for t in VALUE_TYPES_DEFINED if t.fact)
ORDERED_TYPES: frozenset[str] = frozenset(t.word for t in VALUE_TYPES_DEFINED if t.ordered)


# ------------------------------------------------------------------ units
@dataclass(frozen=True, slots=True)
class Unit:
    """A unit written after a number. It measures `measures` (a value type) and is `factor` of the
    type's base unit `base` (万元 = 10000 元, 年 = 12 月). `in_policy`: the policy language accepts
    it (月 alone is accepted only in facts files, where 2024年3月 cannot be mistaken for it)."""

    word: str
    measures: str
    base: str
    factor: int
    in_policy: bool = True


UNITS_DEFINED: tuple[Unit, ...] = (
    Unit("元", "金额", "元", 1),
    Unit("万元", "金额", "元", 10_000),
    Unit("亿元", "金额", "元", 100_000_000),
    Unit("%", "百分比", "%", 1),
    Unit("年", "期限", "月", 12),
    Unit("个月", "期限", "月", 1),
    Unit("月", "期限", "月", 1, in_policy=False),
    Unit("日", "期限", "日", 1),
    Unit("天", "期限", "日", 1),
    Unit("个工作日", "期限", "工作日", 1),
    Unit("工作日", "期限", "工作日", 1),
)
UNITS: dict[str, Unit] = {u.word: u for u in UNITS_DEFINED}
MONEY_UNITS: dict[str, Decimal] = {u.word: Decimal(u.factor) for u in UNITS_DEFINED if u.measures == "金额"}
DURATION_UNITS: dict[str, tuple[str, int]] = {u.word: (u.base, u.factor) for u in UNITS_DEFINED if u.measures == "期限"}
DURATION_BASES: tuple[str, ...] = tuple(dict.fromkeys(u.base for u in UNITS_DEFINED if u.measures == "期限"))


def alternation(words) -> str:
    """A regex matching any of `words`, longest first so that 个工作日 is never read as 个 + 工作日."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


# ------------------------------------------------------------------ keywords with a meaning
@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword whose meaning matters beyond the grammar. `meaning`: the operator it lowers to
    (==, !=, <, <=, >, >= for comparisons; all, any, none, lacks, in, not-in for list tests; and,
    or, not; filled, empty). `opposite`: the keyword that says the reverse. `staff_words`: what
    staff write in its place (小于 for 低于), and `after_value`: what they write after the value
    instead (500万元以上 for 不低于 500万元) — did-you-mean offers the keyword for them, and never one
    of the opposite sense. `reads`: the value types it applies to ("" for any)."""

    word: str
    meaning: str
    opposite: str
    staff_words: tuple[str, ...] = ()
    reads: str = ""
    after_value: tuple[str, ...] = ()


# 以上、以下、以内 include the number itself (民法典 第一千二百五十九条); 不满、超过 do not.
COMPARISONS: tuple[Keyword, ...] = (
    Keyword("不低于", ">=", "低于", ("不少于", "不小于", "至少", "大于等于", "大于或等于", "≥"), "数量", ("以上",)),
    Keyword("不高于", "<=", "高于", ("不大于", "小于等于", "小于或等于", "≤"), "数量", ("以下",)),
    Keyword("不超过", "<=", "超过", ("最多", "不多于", "不超出", "至多"), "数量", ("以内",)),
    Keyword("低于", "<", "不低于", ("小于", "少于", "不足", "不满"), "数量"),
    Keyword("高于", ">", "不高于", ("大于",), "数量"),
    Keyword("超过", ">", "不超过", ("多于", "超出", "超于"), "数量"),
    Keyword("早于", "<", "不早于", ("先于",), "日期", ("之前",)),
    Keyword("晚于", ">", "不晚于", ("迟于",), "日期", ("之后",)),
    Keyword("不早于", ">=", "早于", ("不先于",), "日期"),
    Keyword("不晚于", "<=", "晚于", ("不迟于", "最迟"), "日期"),
    Keyword("不等于", "!=", "等于", ("不同于", "≠"), ""),
    Keyword("等于", "==", "不等于", ("相等", "相同"), ""),
    Keyword("不为", "!=", "为", ("不是",), ""),
    Keyword("为", "==", "不为", ("即为",), ""),
)
LIST_TESTS: tuple[Keyword, ...] = (
    Keyword("不属于", "not-in", "属于", ("不在",)),
    Keyword("属于", "in", "不属于", ("在其中", "属于其中")),
    Keyword("包含任一", "any", "不含", ("含有任一", "包括任一")),
    Keyword("包含", "all", "缺少", ("含有", "包括")),
    Keyword("缺少", "lacks", "包含", ("欠缺", "没有")),
    Keyword("不含", "none", "包含任一", ("不包括", "不含有")),
)
PRESENCE: tuple[Keyword, ...] = (
    Keyword("已填", "filled", "未填", ("已填写", "已录入", "有值")),
    Keyword("未填", "empty", "已填", ("未填写", "未录入", "为空", "空白")),
)
LOGIC: tuple[Keyword, ...] = (
    Keyword("且", "and", "或", ("并且", "而且", "同时")),
    Keyword("或", "or", "且", ("或者",)),
    Keyword("非", "not", "", ("并非",)),
)
COMPARISON_OPS: dict[str, str] = {k.word: k.meaning for k in COMPARISONS}


def same_meaning(keyword: Keyword) -> tuple[Keyword, ...]:
    """The comparisons that mean what `keyword` means for another type (低于 → 早于 for dates)."""
    return tuple(k for k in COMPARISONS if k.meaning == keyword.meaning and k.reads and keyword.reads and k.reads != keyword.reads)
LIST_TEST_OPS: dict[str, str] = {k.word: k.meaning for k in LIST_TESTS}
MEANINGFUL_KEYWORDS: tuple[Keyword, ...] = (*COMPARISONS, *LIST_TESTS, *PRESENCE, *LOGIC)


# ------------------------------------------------------------------ words of the grammar's structure
@dataclass(frozen=True, slots=True)
class Word:
    word: str
    role: str


META_KEYS: tuple[Word, ...] = (
    Word("名称", "办法名称"), Word("文号", "发文字号"), Word("发布日期", "发布日期"), Word("施行日期", "施行日期"),
    Word("依据", "上位依据"), Word("原文出处", "原文出处"), Word("继承", "继承的上位政策文件"),
    Word("修订", "修订说明"), Word("词汇", "本文件扩展的事实词汇"),
)
# Section headings: their entries are indented under them (the formatter puts them at the margin).
SECTIONS: tuple[Word, ...] = (
    Word("参数", "参数（可调的数值）"), Word("新增参数", "继承时新增的参数"), Word("认定", "认定（命名的条件）"),
    Word("条号对照", "继承时的条号对照"),
)
# Words that open an article of their own in a policy that inherits another, like an article number.
ARTICLE_HEADINGS: tuple[Word, ...] = (Word("修改", "继承时修改条文或规则"), Word("废止", "继承时废止条文或规则"))
HEADINGS: tuple[Word, ...] = (*SECTIONS, *ARTICLE_HEADINGS)
# Written at the margin inside an article (besides 声明性条款).
MARGIN_WORDS: tuple[Word, ...] = (Word("勘误", "原文勘误"),)
# Every other word the grammar writes inline, with its role (shown beside a completion).
STRUCTURE_WORDS: tuple[Word, ...] = (
    Word("规则", "规则"), Word("依据", "规则所依据的原文"), Word("对每项", "对记录列表的每一项"),
    Word("当", "适用条件"), Word("时", "适用条件结束"), Word("若", "条件"), Word("则", "结论"), Word("例外", "例外规则"),
    Word("自", "期限起算"), Word("起", "期限起算"), Word("内", "期限"), Word("应", "应做的事"), Word("否则", "期限未满足时"),
    Word("于", "固定期限"), Word("前", "固定期限"), Word("未到期", "期限未到时"),
    Word("释义", "解释性说明"), Word("行为日期", "行为发生的日期"), Word("持续义务", "持续性义务"),
    Word("只作提示", "原文用“应”但只作提示的理由"), Word("违反", "违反某条"), Word("违反规则", "违反某条规则"),
    Word("存在", "存在某条的发现"), Word("的", "的"), Word("的项数", "记录的项数"), Word("至今满年数", "至今满几年"),
    Word("下一周年日", "下一个周年日"), *MARGIN_WORDS, Word("作", "勘误：改作"),
)
RENUMBER_OPS: tuple[Word, ...] = (Word("改为", "条号改为"), Word("并入", "并入另一条"))
YES_NO: tuple[Word, ...] = (Word("是", "是"), Word("否", "否"))
DECLARATIVE: tuple[Word, ...] = (Word("声明性条款", "声明性条款（本条没有可检查的规则）"),)

# The grammar terminals written only as a list of words, each filled in from a table above.
TERMINAL_WORDS: dict[str, tuple[str, ...]] = {
    "META_KEY": tuple(w.word for w in META_KEYS),
    "RENUMBER_OP": tuple(w.word for w in RENUMBER_OPS),
    "DECLARATIVE": tuple(w.word for w in DECLARATIVE),
    "COMPARISON": tuple(k.word for k in COMPARISONS),
    "LIST_TEST": tuple(k.word for k in LIST_TESTS),
    "PRESENCE": tuple(k.word for k in PRESENCE),
    "KIND": WRITTEN_KINDS,
    "YES_NO": tuple(w.word for w in YES_NO),
    "UNIT": tuple(u.word for u in UNITS_DEFINED if u.in_policy),
}
# What each group is, for completion and for "expected here" messages.
GROUP_ROLES: dict[str, str] = {
    "META_KEY": "文件开头的元数据", "KIND": "发现类别", "COMPARISON": "比较词", "LIST_TEST": "列表比较词",
    "PRESENCE": "是否已填", "UNIT": "单位", "YES_NO": "是否", "DECLARATIVE": "声明性条款（本条没有可检查的规则）",
    "RENUMBER_OP": "条号对照", "": "关键词",
}


def keyword_groups() -> dict[str, tuple[str, ...]]:
    """The words by grammar terminal (KIND, COMPARISON, UNIT, …), and under "" the words the
    grammar writes inline in its rules (参数, 规则, 若, 则, 且 …): for editors' completion and
    highlighting. A test holds the grammar to exactly these."""
    inline = [*(w.word for w in (*HEADINGS, *STRUCTURE_WORDS)), *(k.word for k in LOGIC)]
    return {**TERMINAL_WORDS, "": tuple(dict.fromkeys(inline))}


def keyword_roles() -> dict[str, str]:
    """Every word of the language → its role, each word once (its first role)."""
    roles: dict[str, str] = {}
    for word in (*HEADINGS, *STRUCTURE_WORDS):
        roles.setdefault(word.word, word.role)
    for keyword in LOGIC:
        roles.setdefault(keyword.word, "逻辑词")
    for group, words in TERMINAL_WORDS.items():
        for word in words:
            roles.setdefault(word, GROUP_ROLES[group])
    return roles


def all_keywords() -> tuple[str, ...]:
    return tuple(keyword_roles())


# ------------------------------------------------------------------ article numbers
NUMERALS = "零〇一二两三四五六七八九十百千"
# 第二十八条, 第28条, 第四十七条之一, 第47条之1: Chinese numerals of any size up to 千, or digits.
ARTICLE_NUMBER = f"第[{NUMERALS}0-9]+条(?:之[{NUMERALS}0-9]+)?"
CHAPTER_NUMBER = f"第[{NUMERALS}0-9]+章"
ARTICLE_LABEL = re.compile(f"^第([{NUMERALS}0-9]+)条(?:之([{NUMERALS}0-9]+))?$")
MAX_ARTICLE_NUMBER = 9999  # 千 is the largest unit the labels write: 第九千九百九十九条
MAX_SUB_NUMBER = 99
RULE_ID = r"\d+(?:之\d+)?\.\d+"  # 28.1; 47之1.1 for a rule of 第四十七条之一
ARTICLE_FORMS: dict[str, str] = {
    "条号": "第二十八条（中文数字，也可写 第28条）",
    "之": "第四十七条之一（在两条之间插入的条）",
    "规则编号": "28.1（第二十八条的第 1 条规则；第四十七条之一的规则写作 47之1.1）",
}
# The grammar's terminals written as regular expressions, filled in like the word lists above.
TERMINAL_PATTERNS: dict[str, str] = {"ARTICLE_NO": ARTICLE_NUMBER, "CHAPTER_NO": CHAPTER_NUMBER, "RULE_ID": RULE_ID}
