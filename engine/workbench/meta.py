"""What the workbench page knows about the language, for GET /api/meta: all of it from
engine/language.py (keywords, finding kinds, units, value types, article numbers) plus the loaded
policy's fields and parameters. The page keeps no word list of its own.

The shape (stable: fields are added, never renamed):

    {
      "关键词组": {"KIND": ["不适用", "违规", …], "COMPARISON": […], "UNIT": […], "LIST_TEST": […],
                 "PRESENCE": […], "META_KEY": […], "YES_NO": […], "RENUMBER_OP": […], "DECLARATIVE": […],
                 "": [words written inline: 参数, 规则, 若, 则, 且, 或 …]},
      "关键词": [{"词": "若", "作用": "条件"}, …],            every word the grammar accepts, once
      "关键词组作用": {"KIND": "发现类别", "COMPARISON": "比较词", …, "": "关键词"},   what each group is
      "类别": [{"类别": "违规", "顺序": 1, "违规": true, "可写": true, "样式": "kind-violation",
               "说明": "…"}, …],                              in report order; 违规: a breach (结论 不合规);
                                                             可写: a rule may name it; 样式: the CSS class
      "比较词": [{"词": "低于", "含义": "<", "反义": "不低于", "常见写法": ["小于", "少于", …], "适用": "数量"}, …],
                                                             also "列表比较词", "填写词", "逻辑词" alike
      "单位": [{"单位": "万元", "计量": "金额", "基本单位": "元", "倍数": 10000}, …],   those a policy may write
      "类型": [{"类型": "金额", "名称": "金额", "事实": true, "字面量": true, "可比较": true}, …],
      "条号": {"数字": "零〇一二两三四五六七八九十百千", "条号": "<regex of 第N条(之M)>", "规则编号": "<regex>",
              "最大条号": 9999, "最大之": 99, "写法": {"条号": "…", "之": "…", "规则编号": "…"}},
      "字段": [{"字段": "合同.签订日期", "类型": "日期", "取值": [], "单位": null, "说明": "…", "必填": false}, …],
      "参数": [{"参数": "重大项目金额", "类型": "金额", "取值": ["500万元"]}, …]
    }
"""
from __future__ import annotations

from .. import language
from ..values import format_parameter


def _keywords(keywords: tuple[language.Keyword, ...]) -> list[dict]:
    return [{"词": k.word, "含义": k.meaning, "反义": k.opposite, "常见写法": list(k.staff_words), "适用": k.reads}
            for k in keywords]


def language_meta(compiled) -> dict:
    """The language's definition and the compiled policy's own names, as the page reads them."""
    groups = language.keyword_groups()
    fields = [{"字段": spec.path, "类型": spec.type, "取值": list(spec.words), "单位": spec.unit, "说明": spec.description,
               "必填": spec.required} for spec in compiled.vocabulary.fields.values() if spec.type != "记录列表"]
    params = [{"参数": name, "类型": values[0].type if values else "", "取值": [format_parameter(v) for v in values]}
              for name, values in sorted(compiled.ir.params.items())]
    return {
        "关键词组": {name: list(words) for name, words in groups.items()},
        "关键词": [{"词": word, "作用": role} for word, role in language.keyword_roles().items()],
        "关键词组作用": dict(language.GROUP_ROLES),
        "类别": [{"类别": k.word, "顺序": order, "违规": k.breach, "可写": k.written, "样式": k.css, "说明": k.description}
               for order, k in enumerate(language.FINDING_KINDS)],
        "比较词": _keywords(language.COMPARISONS),
        "列表比较词": _keywords(language.LIST_TESTS),
        "填写词": _keywords(language.PRESENCE),
        "逻辑词": _keywords(language.LOGIC),
        "单位": [{"单位": u.word, "计量": u.measures, "基本单位": u.base, "倍数": u.factor}
               for u in language.UNITS_DEFINED if u.in_policy],
        "类型": [{"类型": t.word, "名称": t.label, "事实": t.fact, "字面量": t.literal, "可比较": t.ordered}
               for t in language.VALUE_TYPES_DEFINED],
        "条号": {"数字": language.NUMERALS, "条号": language.ARTICLE_NUMBER, "规则编号": language.RULE_ID,
               "最大条号": language.MAX_ARTICLE_NUMBER, "最大之": language.MAX_SUB_NUMBER, "写法": dict(language.ARTICLE_FORMS)},
        "字段": fields,
        "参数": params,
    }
