"""Every sentence the tool says to a person, in one place, so wording stays consistent and a
county can reword them without hunting through the code."""
from __future__ import annotations

import re

# ---------------------------------------------------------------- findings
# A breach not judged because the conduct predates the 施行日期 (第四十六条); explain says NOT_JUDGED.
PRE_EFFECTIVE = "{summary}：该行为发生于本办法施行前（{date}），不予追究（第四十六条）"
NOT_JUDGED_PRE_EFFECTIVE = "施行前的行为，不予追究（第四十六条）"

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
YAML_ALIAS = "不能使用 YAML 的锚点和别名（& 和 *），请把内容直接写出来"
SEVERAL_DOCUMENTS = "一个文件只写一个项目，不能用「---」写第二份"
KEY_NOT_TEXT = "键应是一个词，如「项目」「签订日期」，不能是列表或映射"
NOT_TEXT = "含有无法显示的字符（不成对的 UTF-16 代理项，如 \\ud800），请删去或改正"
MISSING_GROUP = "没有写出这一组；每个事实文件至少应写出其中的{fields}，否则说不清评估的是哪个项目"
BLANK_TEXT = "不能为空"


def control_character(character: str | int) -> str:
    code = character if isinstance(character, int) else ord(character)  # libyaml gives the code point
    return f"含有不能写在文本文件里的控制字符 U+{code:04X}，请删去（可能是从别的软件复制来的）"


def duplicate_key(first: int | None, second: int | None) -> str:
    lines = f"（第 {first} 行和第 {second} 行）" if first and second else ""
    return f"这个键写了两次{lines}，只能保留一个；否则后一个会悄悄覆盖前一个"


def json_number(constant: str | None) -> str:
    problem = f"不能写 {constant}" if constant else "有一个数字的位数过多"
    return f"JSON 中{problem}；金额、日期等请写成带引号的文字，如 \"680万元\""

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


TOO_MANY_RECORDS = "有 {count} 条记录，超过一个项目 {limit} 条的上限；请检查是否把几个项目写进了一个文件"


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


def facts_too_large(size: int, limit: int, what: str = "事实文件") -> str:
    advice = "；一个文件只写一个项目" if what == "事实文件" else ""
    return f"文件有 {size} 字节，超过单个{what} {limit} 字节的上限{advice}"


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


BACKEND_CLOSED = "政策已关闭（{engine} 的规则集已释放），不能再用它评估项目。这是本工具的缺陷：请将命令报告给开发人员；重新载入政策文件即可继续"
BACKENDS_DISAGREE = "{engine} 与参照求值器对这个项目的判定不一致，无法说明判定过程。这是本工具的缺陷，请将命令和这个文件报告给开发人员"
WORKER_DIED = "评估这个文件时工作进程意外退出（内存不足，或规则引擎崩溃）。这是本工具的缺陷，请将命令和这个文件报告给开发人员"


def internal_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}。这是本工具的缺陷，请将命令和这个文件报告给开发人员"


# ---------------------------------------------------------------- workbench (engine/workbench/)
# Who may drive it (gate.py): one sentence per check that failed, answered with 403.
REFUSED_HOST = "拒绝访问：请求的主机名「{host}」不是本机工作台的地址。请在浏览器中打开 http://127.0.0.1:{port}/ 。"
REFUSED_CONTENT_TYPE = "拒绝访问：修改和运行的请求必须是 JSON（Content-Type: application/json），收到的是「{content_type}」。"
REFUSED_ORIGIN = "拒绝访问：请求来自「{origin}」，只接受工作台自己页面发出的请求。"
REFUSED_TOKEN = "拒绝访问：请求没有带上本次启动的工作台口令。请重新打开工作台页面后再操作。"
REFUSED_OTHER_SITE = "拒绝访问：浏览器说明这个请求来自别的网页（{site}），只接受工作台自己页面发出的请求。"
REFUSED_PREFLIGHT = "拒绝访问：工作台不接受其他网页的跨域请求。"
# Requests the API cannot use (server.py, bodies.py): 400, 411, 413.
BAD_REQUEST = "请求无法理解：{problem}"
BODY_CHUNKED = "请求须注明长度（Content-Length），不接受分块传输。"
BODY_BAD_LENGTH = "请求的长度「{declared}」不是整数。"
BODY_TOO_LARGE = "请求太大（{length} 字节），上限是 {limit} 字节。"
BODY_NOT_UTF8 = "请求不是 UTF-8 编码的 JSON"
BODY_NOT_JSON = "请求不是合法的 JSON（第 {line} 行第 {column} 列：{problem}）"
BODY_TOO_DEEP = "请求的 JSON 嵌套太深"
BODY_NOT_OBJECT = "请求应为 JSON 对象（{{…}}），收到的是{kind}"
BODY_LONE_SURROGATE = "请求中有无法保存的字符（单独的 UTF-16 代理项 \\ud800 之类）"
BODY_UNKNOWN_KEY = "「{where}」不是这个接口认识的键"
BODY_MISSING_KEY = "缺少「{where}」"
BODY_WRONG_TYPE = "「{where}」应为{wanted}"
BODY_WRONG_VALUE = "「{where}」的值不对（{kind}）"
BODY_VALUE_PROBLEM = "「{where}」：{problem}"
BODY_EXPECTED = {"string_type": "文字", "bool_type": "true 或 false", "dict_type": "对象（{…}）", "list_type": "文字列表",
                 "string_pattern_mismatch": "用点分隔的字段名，如 项目.编号", "string_too_long": "更短的文字",
                 "string_too_short": "非空的文字"}
POLICY_TEXT_TOO_LARGE = "政策文件有 {size} 字节，超过 {limit} 字节的上限"
FORM_BAD_DATE = "评估日期应写成 2026-11-27"
FORM_BAD_VALUE = "「{path}」的值应为文字、文字列表或记录（字段名→文字）的列表"
FORM_TOO_MANY_FIELDS = "表单最多 {limit} 个字段，收到 {count} 个"
FORM_TOO_MANY_ITEMS = "「{path}」有 {count} 项，超过 {limit} 项的上限"
FORM_TEXT_TOO_LONG = "「{path}」的文字有 {size} 字节，超过 {limit} 字节的上限"
FACTS_TEXT_TOO_LARGE = "事实有 {size} 字节，超过单个事实文件 {limit} 字节的上限；一个文件只写一个项目"
MERGE_TOO_LONG = "{side}有 {count} 行，超过合并的上限 {limit} 行（本县的政策文件不到一千行）；请把草稿复制出来，手工对照修改"
MERGE_BUSY = "另一次合并正在进行，请等它结束后再试。"
FORM_FIELD_INSIDE_FIELD = "「{parent}」和「{path}」不能同时填写"
NO_SUCH_SAMPLE = "没有名为「{name}」的示例项目"
REGISTER_CANNOT_PRINT = "项目「{id}」无法评估，没有可打印的报告：{error}"
NO_SUCH_PAGE = "没有这个页面"
NO_SUCH_ENDPOINT = "没有这个接口"
SERVER_INTERNAL_ERROR = "内部错误，已记录在运行工作台的终端里。"
# Saving and running (api.py, saving.py).
POLICY_CHANGED_ELSEWHERE = "政策文件已在别处被修改（另一个标签页或编辑器）。请先复制你的修改，重新载入后再保存。"
POLICY_DOES_NOT_COMPILE = "修改后的政策文件不能编译，没有保存。"
POLICY_CANNOT_BE_READ = "{file}: 无法读取政策文件（{problem}），没有保存。"
POLICY_CANNOT_BE_WRITTEN = "{file}: 无法写入政策文件（{problem}），文件没有改动。"
POLICY_CANNOT_BE_WRITTEN_HINT = "检查文件和所在文件夹的写权限与磁盘空间"
POLICY_NOT_LOADED = "政策文件无法加载"
RELOAD_INTERNAL_ERROR = "重新载入政策文件时出现内部错误，已记录在运行工作台的终端里；仍沿用上一个能用的版本。"
SCENARIO_BAD_ARTICLE = "无法识别的条号「{article}」"
SCENARIO_BAD_ARTICLE_HINT = "写成如 第二十八条"
SCENARIO_BUSY = "已有一次规格场景正在运行，请等它结束后再试。"
SCENARIO_FOREIGN_PYTHON = ("规格场景文件夹 {folder} 里有本工具自带以外的 Python 文件：{files}。运行场景会执行这些文件，"
                           "工作台不运行它们。")
SCENARIO_FOREIGN_PYTHON_HINT = ("若文件来自别处，删去它们，再用「复制到政策文件旁」取得本工具的步骤库；若确实信任它们，"
                                "由开发人员在命令行运行：python3 -m pytest {folder}")
SCENARIO_TIMEOUT = "规格场景运行超过 {seconds} 秒，已停止。"
SCENARIO_TIMEOUT_STOPPED = "运行时间超过上限，其余场景没有运行"
SCENARIO_TOO_MANY = "选中的场景有 {count} 个，超过一次最多运行的 {limit} 个，没有运行；请按条号分开运行"
SCENARIO_STEP_CRASHED = "场景没有运行完：{problem}"
SCENARIO_RUN_CRASHED = "规格场景运行中途出错（详情已记录在运行它的终端里）：{problem}"
SCENARIO_POLICY_DOES_NOT_COMPILE = "规格场景按磁盘上的政策文件运行，但它现在不能编译，没有运行：\n{problem}"
SCENARIO_FILE_UNREADABLE = "{file}: 规格文件无法解析：{problem}"
FEATURE_UNPARSABLE = ("{file}:{line}: 规格文件无法解析：「{text}」不是 Gherkin 认得的一行。场景中的每一行应以步骤词"
                      "（假如、而且、当、那么、但是）开头，或是表格（| … |）、标签（@第二十八条）、注释（#）、「场景:」等关键词行")
FEATURE_UNREADABLE = "{file}: 无法读取规格文件（{problem}）"
SCENARIO_NO_SUCH_FILE = "没有规格文件「{file}」：应为本政策的规格文件之一"
SCENARIO_FILE_CHANGED_ELSEWHERE = "规格文件已在别处被修改（另一个标签页或编辑器）。请先复制你的修改，重新载入后再保存。"
SCENARIO_STEP_CHANGED = "{file}:{line} 已不是那一步（文件改过了）。请重新运行场景后再更新期望值。"
SCENARIO_STEP_VALUE_MISSING = "{file}:{line} 这一步中没有「{written}」，没有改动。"
FEATURE_TEXT_TOO_LARGE = "规格文件有 {size} 字节，超过 {limit} 字节的上限；请按章或按条分成几个文件"
FEATURE_DOES_NOT_PARSE = "修改后的规格文件有下列问题，没有保存："
# A policy copy served with the tool's bundled scenarios (workbench/features_folder.py).
SCENARIO_READ_ONLY = ("这些是本工具随附的规格文件（{folder}），政策文件旁没有 features 文件夹，所以只读：从页面上改它们会改掉本工具自己的文件。"
                      "没有保存任何改动。")
SCENARIO_READ_ONLY_HINT = "点「规格场景」页上的「复制到政策文件旁」，之后的修改都写在副本里"
SCENARIO_READ_ONLY_NOTE = ("只读：这是本工具随附的规格文件。你的政策文件旁没有 features 文件夹，页面不改本工具自己的文件。"
                           "要修改场景，先点「复制到政策文件旁」（复制到 {target}），之后的修改都写在副本里。")
SCENARIO_COPY_FAILED = "无法把规格文件复制到 {folder}（{problem}），没有复制。"
SCENARIO_COPY_FAILED_HINT = "检查政策文件所在文件夹的写权限与磁盘空间；也可以用 serve --features 指定另一个可写的规格文件夹"


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
DID_YOU_MEAN = "您是不是要写「{words}」？"
# Hints that read what staff wrote for its meaning (engine/syntax_errors.py).
FOR_TYPES = "（比较数量、金额、期限用「{first}」，比较{type}用「{second}」）"
WRITE_BEFORE_VALUE = "规则中不写「{written}」，比较词写在值的前面：「{keyword} {value}」{note}"
INCLUSIVE = "（「{word}」包含本数）"
DIGITS_IN_QUANTITY = "数量用阿拉伯数字写。"
MISSING_BEFORE = "「{word}」前缺少「{missing}」：若 条件 则 {word} “摘要”"
DID_YOU_MEAN_PARAMETER = "您是不是要写【{words}】？"


def suggested_words(hint: str) -> list[str]:
    """The words a did-you-mean hint suggests (for an editor's quick fix), read back from the templates above."""
    for template, separator in ((DID_YOU_MEAN, "」或「"), (DID_YOU_MEAN_PARAMETER, "】或【")):
        head, _, tail = template.partition("{words}")
        match = re.search(re.escape(head) + "(.+?)" + re.escape(tail), hint)
        if match:
            return match.group(1).split(separator)
    return []
FIELDS_ARE_LISTED = "可用的字段见 facts/vocabulary.yaml"

# Policy errors (E1xx) and lint warnings (W2xx): code → (message, hint). Placeholders in {braces}
# are filled by the checker; a code with several situations has one entry per situation.
POLICY: dict[str, tuple[str, str]] = {
    "E102.date": ("日期「{text}」不存在", "日期应写成如 2024-12-12"),
    "E102.duration": ("期限「{text}」应为整数", "如 10个工作日、3年、18个月"),
    "E102.money": ("金额「{text}」最多精确到分", "如 500万元、0.5亿元、1234.56元"),
    "E102.percent": ("百分比「{text}」应在 0% 至 1000% 之间，最多四位小数", "如 5%、0.5%"),
    "E102.range": ("{problem}", ""),
    "E103": ("括号嵌套超过 {limit} 层", "把条件拆成几条规则，或用「认定」给一部分条件起个名字"),
    "E104": ("条件嵌套过深，无法处理", "把条件拆成几条规则，或用「认定」给一部分条件起个名字"),
    "E110.repeated": ("「{name}」重复填写", ""),
    "E110.date": ("「{name}」应为日期，如 2024-12-12", ""),
    "E111.parameter": ("参数【{name}】重复定义", ""),
    "E111.definition": ("【{name}】重复定义", ""),
    "E112": ("参数【{name}】的各个取值类型不一致", ""),
    "E113": ("无法识别的条号「{text}」，应写成如 第二十八条 或 第28条", "条号从第一条到第九千九百九十九条，「之」后从一到九十九"),
    "E114": ("{label}重复出现", "每条只写一次；要改就改已有的那一条"),
    "E115": ("{label}没有原文", "在条标题下一行写「> 」加上本条原文"),
    "E116": ("勘误后的文字「{corrected}」不在{label}的原文中", ""),
    "E120": ("规则编号 {rule} 应以所在条的序号 {number} 开头，如 {number}.1", ""),
    "E121": ("规则编号 {rule} 重复", ""),
    "E122": ("规则引用的原文「{quote}」不在{label}的原文中", "依据的文字应从本条原文中原样复制，一字不差"),
    "E123": ("规则 {rule} 的类别「{kind}」与所引原文的用语「{modal}」不符", "应、不得、一律 → 违规；一般、原则上 → 警示；鼓励、优先 → 提示"),
    "E125": ("规则 {rule} 所引原文用「{modal}」，是必须履行的义务，类别却是「提示」",
             "写成能判定的规则（违规，或「一般」「原则上」的警示）；确实只作提醒的，在规则下写「只作提示 “理由”」"),
    "E126": ("规则 {rule} 的类别是「{kind}」，「只作提示」只用于提示类规则", "删去这一行，或把类别改为提示"),
    "E124": ("规则 {rule} 写了不止一次「{keyword}」", "每条规则只写一个；保留正确的那一行"),
    "E130": ("引用的{label}在本办法中不存在", ""),
    "E131": ("规则之间的引用构成循环：{cycle}", ""),
    "E132": ("「不适用」规则决定整部办法是否适用，不能引用其他条的发现", ""),
    "E133": ("{label}没有会产生「{kind}」的规则，这个引用永远不成立", ""),
    "E133.rule": ("规则 {rule} 不会产生「{kind}」，这个引用永远不成立", ""),
    "E134": ("「不适用」规则决定整部办法是否适用，不能逐项检查", ""),
    "E135": ("引用的规则 {rule} 在本办法中不存在", "写规则编号，如 28.3；用 articles 命令查看各条的规则"),
    "E140": ("事实词汇表中没有字段「{field}」", ""),
    "E141": ("没有定义参数【{name}】", "在文件开头的「参数」下定义它"),
    "E142": ("这里需要单个值，参数给出的是一组值", ""),
    "E143.shape": ("计算式应写成「字段 × 百分比」或「日期字段 + 期限」（不能用记录中的字段）", ""),
    "E143.types": ("不能对{left}和{right}做这种运算", "可用的计算：金额 × 百分比；日期 + 期限（个工作日、日、个月、年）"),
    "E144": ("「已填」「未填」只能用于字段", ""),
    "E145": ("没有定义认定【{name}】", "在文件开头的「认定」下定义它"),
    "E145.parameter": ("没有定义认定【{name}】", "参数不能单独作为条件；在文件开头的「认定」下定义它"),
    "E146": ("认定【{name}】引用了它自己", ""),
    "E147": ("「对每项」后面应写记录列表字段，「{path}」不是", "可用的记录列表：{lists}"),
    "E148.item": ("「{path}」是记录列表中每一项的字段，只能在「对每项 {list}」的规则中使用", ""),
    "E148.list": ("「{path}」是记录列表，应写「对每项 {path}」，再读每项的字段，或写「{path}的项数」", ""),
    "E149": ("「{function}」只能用于{wanted}，「{path}」是「{type}」字段", ""),
    "E150": ("「{left}」是「{left_type}」，不能与「{right_type}」「{right}」比较", ""),
    "E151": ("「{op}」不能用于「{type}」字段", "文字、是否和可选词只能用「为」「不为」「属于」比较"),
    "E152": ("「{word}」不是字段「{field}」的可选词", "可选：{words}"),
    "E153": ("字段「{field}」以{unit}计，不能与「{value}」比较", ""),
    "E154": ("「{op}」后面应列出词或列表参数", ""),
    "E155.item": ("「{op}」不能用于记录中的词列表字段「{field}」", "把记录中的词列表改成几个是否字段，或写成单个可选词用「属于」"),
    "E155": ("「{op}」只能用于词列表字段，「{field}」是「{type}」字段", "单个值请用「属于」"),
    "E156": ("时限规则的起算事件和应完成事件都应是日期字段", ""),
    "E157.fixed": ("「于 … 前」应写日期，而不是{type}", ""),
    "E157.limit": ("时限应为期限（如 10个工作日），而不是{type}", ""),
    "E158": ("规则 {rule} 的行为日期应为日期，而不是{type}", "写本条所判定的行为发生的日期，如 行为日期 立项.日期；持续的义务写「持续义务」"),
    "E158.scope": ("规则 {rule} 决定适用范围或例外，不判定某一行为，不写行为日期", "删去这一行"),
    "E160": ("政策读取的字段和计算值共 {count} 个，超过规则引擎单个事实 {limit} 个属性的上限", ""),
    "E161": ("字段「{a}」与「{b}」在规则引擎中的散列值相同，引擎会把两者混淆，请改名", ""),
    "E162": ("规则 {rule} 的条件过于复杂，超出规则引擎的限制，请拆成几条规则", ""),
    "E163": ("规则 {rule} 的条件展开后有 {size} 种情形，超过规则引擎能在合理时间内建立的 {limit} 种",
             "「(A 或 B) 且 (C 或 D) 且 …」每多一组「或」情形就成倍增加：把条件拆成几条规则，或用「认定」给一部分条件起个名字"),
    "E163.total": ("到规则 {rule} 为止，全部规则的条件展开后超过 {limit} 种情形，规则引擎无法在合理时间内建立",
                   "简化含多组「或」的条件，或用「认定」给共用的条件起个名字"),
    "E164": ("规则中的文字超过规则引擎能比较的 {limit} 字节（或含有无法编码的字符）", "文字只写需要比较的词，如单位名称"),
    "E166": ("规则 {rule} 与同组的规则合起来超出规则引擎的匹配栈（{limit} 层）", "「不适用」规则或逐项检查的规则中，对同一字段的并列条件不要太多；把条件拆成几条规则"),
    "E170": ("{what}「{name}」不在政策文件所在的文件夹内", "被引用的文件应与政策文件放在同一个文件夹（或其子文件夹）中"),
    "E171": ("找不到{what}「{name}」", "应放在 {folder} 中"),
    "E171.read": ("{what}「{name}」{problem}", ""),
    "E172.format": ("词汇文件「{name}」格式错误：{problem}", ""),
    "E172.change": ("词汇扩展不能改动已有的字段「{path}」", "扩展只能新增字段，或改动词字段的可选词：写 {{取值: [本县的全部可选词]}} 或 {{新增取值: [新增的词]}}"),
    "E173": ("继承构成循环：{cycle}", ""),
    "E174": ("继承层级超过 {limit} 层", ""),
    "E175": ("被继承的办法中没有{label}，无法废止", "先用 articles 命令查看被继承办法的条文"),
    "E176": ("被继承的办法中没有{label}，无法修改", "新增的条文直接写条号，不加「修改」"),
    "E177": ("被继承的办法中已有{label}", "要改动这一条，写「修改 {label}」"),
    "E178": ("参数【{name}】在被继承的办法中已有定义", "改动已有参数写在「参数」下；「新增参数」只用于被继承办法没有的参数"),
    "E190": ("条号对照中的{label}在被继承的办法中没有", "左边写被继承办法的条号，右边写本县办法的条号：第二十七条 改为 第二十六条"),
    "E191": ("条号对照中{label}写了不止一次", "每个被继承的条文只写一行"),
    "E192": ("{label}不存在，无法并入", "并入的目标写本县办法中的条号"),
    "E193": ("条号对照后有重复的条号：{labels}", "被挤占条号的条文也要写进条号对照（改为别的条号、并入或废止）"),
    "E194": ("写了条号对照，但本县办法的条号不连续，缺少{labels}", "条号对照应覆盖本县办法的全部条文：缺的条号是漏写了「改为」，还是漏写了新增条文？"),
    "E197": ("被继承的办法中没有规则 {rule}，无法{action}", "用 articles 命令查看被继承办法各条的规则编号；新增规则写在「修改 第N条」下"),
    "E196": ("修订版的施行日期（{current}）应晚于被修订版本的施行日期（{previous}）", "在修订版中写「施行日期」，写修订后的办法开始施行的日期"),
    "E195": ("只有继承其他办法的政策文件才能写条号对照", "在文件开头写「继承 “被继承的办法.rules”」"),
    "E179": ("被继承的办法中没有参数【{name}】", "新参数写在「新增参数」下"),
    "E180": ("「修改」「废止」只能用在继承其他办法的政策文件中", "在文件开头写「继承 “被继承的政策文件名”」"),
    "E181": ("例外所指的规则 {rule} 不存在", "写被例外的规则编号，如 6.5；用 articles 命令查看各条的规则"),
    "W201": ("找不到原文出处「{name}」（应放在政策文件所在的文件夹内）", ""),
    "W201.read": ("原文出处「{name}」{problem}", ""),
    "W202": ("原文出处中没有{label}", ""),
    "W203": ("勘误「{text}」在原文出处中找不到", ""),
    "W204": ("{label}的原文与原文出处不一致（第 {position} 个字起）", "原文出处此处为「{expected}」"),
    "W204.inherited": ("继承来的{label}与本办法的原文出处不一致（第 {position} 个字起）",
                       "本县的原文不同：写「修改 {label}」并写上本县的原文；原文出处此处为「{expected}」"),
    "W220": ("原文出处「{name}」中有{label}，本办法中没有", "新增这一条（写上原文和规则，或「声明性条款」）；若是废止了，从原文出处中删去"),
    "W221": ("{label}的原文说「自{said}起施行」，本办法的施行日期却是 {effective}", "两处应一致：改施行日期，或用「修改 {label}」写上本县的原文"),
    "W222": ("继承来的第一条原文引用了{books}，不在本办法的「依据」中", "本县的第一条不同：写「修改 第一条」并写上本县的原文；或把它们加进「依据」"),
    "W205": ("【{name}】定义了但没有规则使用", "删去它，或在规则里用上它"),
    "W206": ("{label}待编写规则：既没有规则，也没有标明「声明性条款」", "可检查的义务写成规则；纯宣示性的条文写「声明性条款」"),
    "W207": ("规则 {rule} 的条件互相矛盾，永远不会成立", "检查同一个字段是否被要求同时取两个值，或同时满足不可能的大小关系"),
    "W209": ("规则 {rule} 没有写明所判定行为的日期（第四十六条：施行前的行为不予追究）",
             "在规则下写「行为日期 字段」（如 行为日期 立项.日期）；持续的义务写「持续义务」"),
    "W208": ("规则 {rule} 引用的原文写的是「{quoted}」，规则用的却是「{used}」", "参数改了，原文也要用「修改」改成新的数额，规则的依据、摘要一并改"),
}


def policy_message(message_key: str, hint: str | None = None, **args) -> tuple[str, str, str]:
    """(code, message, hint) for a key such as E148.list; `hint` replaces the template's when given."""
    message, default_hint = POLICY[message_key]
    return message_key.split(".")[0], message.format(**args), (hint if hint is not None else default_hint.format(**args))


# Holiday data (E330) and the vocabulary (E310)
CALENDAR_SHAPE = "应按年份写成「2027: {节假日: [...], 调休上班: [...]}」"
CALENDAR_YEAR_SHAPE = "每一年应写成「节假日: [...]」和「调休上班: [...]」"
CALENDAR_BAD_DATE = "日期「{text}」无法识别，应写成如 2027-01-01"
CALENDAR_STRAY_DATE = "日期 {day} 不在 {year} 年"
VOCABULARY_SHAPE = "应写成 {类型: …, 说明: …} 或一组下级字段"
VOCABULARY_TOP = "词汇文件的最外层应是「字段名: {类型: …}」或「分组名:」下列出字段的映射"
VOCABULARY_ARTICLES = "「条」应列出读取这个字段的条号，如 [28, 30]（1 至 9999 的整数）"
VOCABULARY_WORDS = "「取值」应列出可选的词，如 [通过, 不通过]"
VOCABULARY_TEXT = "「{key}」应为一段文字"
VOCABULARY_FLAG = "「{key}」应写「是」或「否」"
VOCABULARY_NAME = "字段名「{name}」不能使用：{reason}"
VOCABULARY_NAME_HINT = "字段名用办法里的中文用语，如「签订日期」"
