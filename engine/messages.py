"""Every sentence the tool says to a person, in one place, so wording stays consistent and a
county can reword them without hunting through the code."""
from __future__ import annotations

# ---------------------------------------------------------------- facts files
BAD_TEXT = "应为一段文字"
BAD_YES_NO = "应写「是」或「否」"
BAD_MONEY = "金额写法无法识别，应写成如 680万元、6800000元、0.068亿元，或以元为单位的数字（最多精确到分）"
BAD_DATE = "日期写法无法识别或日期不存在，应写成如 2025-01-24 或 2025年1月24日"
BAD_YEAR = "应为年份，如 2027"
BAD_DURATION = {
    "月": "期限写法无法识别，应写成如 18个月 或 3年",
    "日": "期限写法无法识别，应写成如 10个工作日 或 30日",
}
NOT_UTF8 = "文件不是 UTF-8 编码的文本，请用 UTF-8 另存后再试"
TOO_DEEP = "嵌套层级过深，事实文件只需按词汇表的分组写两三层"
EMPTY_FACTS = "文件为空，至少应写出「项目」下的编号、名称和建设单位"
NOT_A_MAPPING = "文件的最外层应是「键: 值」的映射，如「项目:」「合同:」等分组"
UNKNOWN_KEY = "无法识别的键"

_PYDANTIC = {
    "missing": "缺少必填项",
    "model_type": "应为一组「键: 值」",
    "dict_type": "应为一组「键: 值」",
    "model_attributes_type": "应为一组「键: 值」",
    "list_type": "应为列表，如 [建设依据, 建设内容]",
    "string_type": "应为一段文字",
    "bool_type": "应写「是」或「否」",
    "int_type": "应为整数",
    "date_type": "应为日期，如 2025-01-24",
    "decimal_type": "应为金额，如 680万元",
}


def pydantic_message(error_type: str) -> str:
    return _PYDANTIC.get(error_type, f"取值不符合要求（{error_type}）")


def word_not_allowed(word: str, allowed, close: list[str]) -> str:
    guess = f"；您是不是要写「{close[0]}」？" if close else ""
    return f"「{word}」不在可选的词中，可选：{'、'.join(allowed)}{guess}"


def unknown_key_hint(close: list[str], parent: str) -> str:
    if close:
        return f"您是不是要写「{close[0]}」？键名写错会让相关检查悄悄失效，所以这里按错误处理"
    where = f"「{parent}」下" if parent else "最外层"
    return f"{where}可用的键见 facts/vocabulary.yaml"


def facts_too_large(size: int, limit: int) -> str:
    return f"文件有 {size} 字节，超过单个事实文件 {limit} 字节的上限；一个文件只写一个项目"


def cannot_read(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在，请检查路径"
    if isinstance(exc, PermissionError):
        return "没有读取这个文件的权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是事实文件"
    return f"无法读取文件（{exc.strerror or exc}）"


def syntax_error(exc: Exception, is_json: bool) -> str:
    kind = "JSON" if is_json else "YAML"
    problem = getattr(exc, "problem", None) or getattr(exc, "msg", None) or str(exc)
    return f"{kind} 格式错误：{problem}。请检查冒号、缩进和引号是否成对"


# ---------------------------------------------------------------- working days
def calendar_year_missing(year: int, data_file: str) -> str:
    return (f"工作日计算需要 {year} 年的节假日安排，但日历中没有这一年。国务院办公厅公布该年放假安排后，"
            f"请在 {data_file} 中按示例补充 {year} 年的「节假日」和「调休上班」日期")


# ---------------------------------------------------------------- policy files
def syntax_unexpected(found: str, expected: list[str]) -> str:
    if expected:
        return f"此处不应出现「{found}」，这里应写：{'、'.join(expected[:8])}"
    return f"此处不应出现「{found}」"


def unexpected_character(char: str) -> str:
    return f"无法识别的字符「{char}」"


UNEXPECTED_END = "政策文件意外结束，最后一条规则可能没有写完"
UNKNOWN_FIELD = "事实词汇表中没有字段「{field}」"
UNKNOWN_PARAMETER = "没有定义参数【{name}】"
DUPLICATE_PARAMETER = "参数【{name}】重复定义"
DUPLICATE_ARTICLE = "{article}重复出现"
DUPLICATE_RULE = "规则编号 {rule} 重复"
RULE_OUTSIDE_ARTICLE = "规则编号 {rule} 应以所在条的序号 {number} 开头，如 {number}.1"
UNKNOWN_ARTICLE_REF = "引用的{article}在本办法中不存在"
BAD_ARTICLE_NUMBER = "无法识别的条号「{text}」，应写成如 第二十八条 或 第28条"
QUOTE_NOT_IN_TEXT = "规则引用的原文「{quote}」不在{article}的原文中"
QUOTE_HINT = "依据的文字应从本条原文中原样复制，一字不差"
MISSING_TEXT = "{article}没有原文"
MISSING_TEXT_HINT = "在条标题下一行写「> 」加上本条原文"
TYPE_MISMATCH = "「{left}」是「{left_type}」，不能与「{right_type}」「{right}」比较"
OPERATOR_MISMATCH = "「{op}」不能用于「{type_name}」字段"
WORD_NOT_ALLOWED = "「{word}」不是字段「{field}」的可选词"
KIND_MODAL_MISMATCH = "规则 {rule} 的类别「{kind}」与所引原文的用语「{modal}」不符"
KIND_MODAL_HINT = "应、不得、一律 → 违规；一般、原则上 → 警示；鼓励、优先 → 提示"
CHAIN_CYCLE = "规则之间的引用构成循环：{cycle}"
GATE_WITH_REFERENCE = "「不适用」规则决定整部办法是否适用，不能引用其他条的发现"
DEADLINE_NEEDS_DATES = "时限规则的起算事件和应完成事件都应是日期字段"
POLICY_TOO_LARGE = "政策文件有 {size} 字节，超过 {limit} 字节的上限"
TOO_MANY_ENGINE_FIELDS = "政策读取的字段和计算值共 {count} 个，超过规则引擎单个事实 {limit} 个属性的上限"
ENGINE_FIELD_COLLISION = "字段「{a}」与「{b}」在规则引擎中的散列值相同，引擎会把两者混淆，请改名"
