"""Hostile inputs: thousands of facts files, vocabulary extensions and policy headers written to
break the tool, run in-process through the CLI's own path (engine.batch.evaluate_files for facts,
engine.policy.load_policy for policies) with a time limit each.

Prints, per class and in total: inputs tried, accepted, located errors, crashes (an exception other
than the tool's own errors), hangs (over the time limit), E999s, unlocated errors (no file, line or
key path), and silently wrong answers: an input accepted although it must be refused (a repeated
key, an alias, a file without the project's identity, money or a date written loosely), or accepted
with a value that differs from what was written (checked against an independent reading).

    python bench/hostile_inputs.py [--per-class 400] [--seed 1] [--timeout 5]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import signal
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml

from _common import ROOT
from engine.batch import evaluate_files
from engine.errors import FactsError, FactsErrors, PolicyError, PolicyErrors, ToolError, display_width
from engine.facts import load_facts
from engine.policy import load_policy
from engine.backend import Engine

AS_OF = dt.date(2026, 11, 27)
SAMPLES = sorted((ROOT / "facts" / "示例").glob("*.yaml"))
BASE_POLICY = ROOT / "policies" / "jinxiang_2024.rules"
HEAD = "项目:\n  编号: X-1\n  名称: 测试\n  建设单位: 县测试局\n"
FULLWIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")
FOREIGN_DIGITS = ["٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९", "۰۱۲۳۴۵۶۷۸۹", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"]


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


# ---------------------------------------------------------------- independent readings
def money_as_written(text: str):
    """What a person reads in a money string (digits in groups of three when separated, an optional
    unit), or None when it is not money; written apart from engine.values on purpose."""
    folded = text.translate(str.maketrans("０１２３４５６７８９，．", "0123456789,.")).strip()
    unit = next((u for u in ("万元", "亿元", "元") if folded.endswith(u)), "")
    number = folded[: len(folded) - len(unit)].strip()
    whole, point, fraction = number.partition(".")
    if not whole or (point and not fraction) or not re.fullmatch(r"[0-9,]*", whole) or not re.fullmatch(r"[0-9]*", fraction):
        return None
    if "," in whole:
        groups = whole.split(",")
        if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
            return None
    if len(whole.replace(",", "").lstrip("0")) > 16:
        return None
    amount = Decimal(whole.replace(",", "") + (f".{fraction}" if fraction else "")) * {"": 1, "元": 1, "万元": 10**4, "亿元": 10**8}[unit]
    return amount if amount == amount.quantize(Decimal("0.01")) and amount <= 10**12 else None


def date_as_written(text: str):
    folded = text.translate(str.maketrans("０１２３４５６７８９－", "0123456789-")).strip()
    match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", folded) or \
        re.fullmatch(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日", folded)
    if not match:
        return None
    try:
        day = dt.date(*map(int, match.groups()))
    except ValueError:
        return None
    return day if dt.date(1949, 10, 1) <= day <= dt.date(2199, 12, 31) else None


# ---------------------------------------------------------------- facts files, by class
def billion_laughs(rng: random.Random) -> tuple[str, str, dict]:
    width, depth = rng.randint(2, 10), rng.randint(2, 12)
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, depth)]
    body = "\n".join(lines) + "\n"
    text = HEAD + body if rng.random() < 0.5 else body + HEAD
    if rng.random() < 0.3:  # the alias inside a real field
        text = HEAD + f"合同:\n  条款: *a{depth - 1}\n" + body
    return "yaml", text, {"must_refuse": True}


def repeated_key(rng: random.Random) -> tuple[str, str, dict]:
    lines = rng.choice(SAMPLES).read_text(encoding="utf-8").splitlines()
    keyed = [i for i, l in enumerate(lines) if re.match(r"^\s*[^#\s-][^:]*:", l)]
    i = rng.choice(keyed)
    indent = len(lines[i]) - len(lines[i].lstrip())
    end = i + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
        end += 1
    key = lines[i].split(":", 1)[0]
    lines.insert(end, f"{key}: {rng.choice(['是', '否', '2025-01-01', '680万元', '其他', ''])}")
    return "yaml", "\n".join(lines) + "\n", {"must_refuse": True}


def missing_identity(rng: random.Random) -> tuple[str, str, dict]:
    sample = yaml.load(rng.choice(SAMPLES).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    choice = rng.randrange(6)
    if choice == 0:
        text = "{}\n"
    elif choice == 1:
        text = "评估日期: 2026-11-27\n"
    elif choice == 2:
        text = "项目:\n" + "".join(f"{k}:\n" for k in ("合同", "采购"))
    else:
        project = sample.pop("项目")
        for key in rng.sample(["编号", "名称", "建设单位"], rng.randint(1, 3)):
            if rng.random() < 0.5:
                project.pop(key)
            else:
                project[key] = rng.choice(["", "   ", None])
        sample["项目"] = project
        text = yaml.safe_dump(sample, allow_unicode=True)
    return "yaml", text, {"must_refuse": True}


MONEY_PIECES = ["5", ",,,", ",", "2", "1,234", ".5", "万元", "亿元", "元", " ", "０", "１２", "，", "．", "-", "+", "e5",
                "9" * 40, "0.001", "1,23", "12,345,678", "NaN", "inf"]


def money_string(rng: random.Random) -> tuple[str, str, dict]:
    text = "".join(rng.choice(MONEY_PIECES) for _ in range(rng.randint(1, 5)))
    if rng.random() < 0.2:
        text = text.translate(str.maketrans("0123456789", rng.choice(FOREIGN_DIGITS)))
    body = HEAD + f"  总预算: {json.dumps(text, ensure_ascii=False)}\n"
    return "yaml", body, {"field": "项目.总预算", "expect": money_as_written(text)}


def date_string(rng: random.Random) -> tuple[str, str, dict]:
    year = rng.choice([1, 1900, 1949, 1950, 2025, 2199, 2200, 9999, rng.randint(1000, 9999)])
    text = rng.choice(["{}-{:02d}-{:02d}", "{}年{}月{}日", "{}-{}-{}"]).format(year, rng.randint(0, 13), rng.randint(0, 32))
    script = rng.random()
    if script < 0.25:
        text = text.translate(str.maketrans("0123456789", rng.choice(FOREIGN_DIGITS)))
    elif script < 0.4:
        text = text.translate(FULLWIDTH)
    field = rng.choice(["合同.签订日期", "采购.中标通知书日期", "评估日期", "验收.计划竣工日期"])
    group, _, key = field.rpartition(".")
    body = HEAD + (f"{group}:\n  {key}: {json.dumps(text, ensure_ascii=False)}\n" if group else f"{key}: {json.dumps(text, ensure_ascii=False)}\n")
    return "yaml", body, {"field": field, "expect": date_as_written(text)}


def json_hostile(rng: random.Random) -> tuple[str, str, dict]:
    head = '"项目": {"编号": "X", "名称": "n", "建设单位": "u"'
    choice = rng.randrange(6)
    if choice == 0:
        return "json", "{" + head + ', "总预算": ' + "9" * rng.randint(4000, 6000) + "}}", {}
    if choice == 1:
        return "json", "{" + head.replace('"X"', '"\\ud800"') + "}}", {}
    if choice == 2:
        return "json", "{" + head + ', "涉密": "否", "涉密": "是"}}', {"must_refuse": True}
    if choice == 3:
        return "json", "{" + head + "}, " + '"合同": ' + "[" * (depth := rng.randint(50, 20000)) + "]" * depth + "}", {}
    if choice == 4:
        return "json", "{" + head + ', "总预算": ' + rng.choice(["NaN", "Infinity", "1e400", "-0", "1e-400"]) + "}}", {}
    return "json", "{" + head + ', "名称": "' + "\\udfff\\ud800" + '"}}', {}


def garbage(rng: random.Random) -> tuple[str, str, dict]:
    choice = rng.randrange(4)
    if choice == 0:
        return "yaml", bytes(rng.randrange(256) for _ in range(rng.randint(0, 400))).decode("latin-1"), {}
    if choice == 1:
        return "yaml", HEAD + "合同: " + "[" * rng.randint(10, 50_000) + "\n", {}
    if choice == 2:
        return "yaml", HEAD.replace("  名称: 测试\n", "") + "  名称: " + "x" * rng.randint(10, 900_000) + "\n", {}
    return "yaml", "".join(rng.choice("{}[]:,-&*!|>'\"#%@` \n\t项目编号") for _ in range(rng.randint(0, 300))), {}


def mutated_sample(rng: random.Random) -> tuple[str, str, dict]:
    lines = rng.choice(SAMPLES).read_text(encoding="utf-8").splitlines()
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(lines))
        action = rng.randrange(6)
        if action == 0:
            del lines[i]
        elif action == 1:
            lines.insert(i, lines[i])
        elif action == 2 and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif action == 3:
            lines[i] = " " * rng.choice([1, 2, 4]) + lines[i]
        elif action == 4 and lines[i]:
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + rng.choice(["&a ", "*a", "{", "[", ":", "'", "\\", "٣", "９", ",,", "\t", "!!python/object ", "9999-12-31"]) + lines[i][j:]
        else:
            lines[i] = lines[i].translate(FULLWIDTH)
    return "yaml", "\n".join(lines) + "\n", {"check_values": True}


FACTS_CLASSES = {
    "别名与锚点": billion_laughs, "重复的键": repeated_key, "缺少项目身份": missing_identity, "金额写法": money_string,
    "日期写法": date_string, "JSON 异常": json_hostile, "乱码与深嵌套": garbage, "示例的随机变异": mutated_sample,
}


# ---------------------------------------------------------------- policies and vocabularies
VOCABULARY_CASES = [
    ("非 UTF-8", "县区:\n  名称: {类型: 文本}\n".encode("gbk"), True),
    ("最外层是列表", "- 县区\n".encode(), True),
    ("最外层是文字", "县区\n".encode(), True),
    ("条 写成文字", "县区:\n  名称: {类型: 文本, 条: 第五条}\n".encode(), True),
    ("条 超出范围", "县区:\n  名称: {类型: 文本, 条: [100000]}\n".encode(), True),
    ("取值 是一个词", "县区:\n  结论: {类型: 词, 取值: 通过}\n".encode(), True),
    ("取值 是映射", "县区:\n  结论: {类型: 词, 取值: {通过: 1}}\n".encode(), True),
    ("字段名 _x", "县区:\n  _x: {类型: 文本}\n".encode(), True),
    ("字段名 model_config", "县区:\n  model_config: {类型: 文本}\n".encode(), True),
    ("字段名 copy", "县区:\n  copy: {类型: 文本}\n".encode(), True),
    ("别名", "县区: &x\n  名称: {类型: 文本}\n别名: *x\n".encode(), True),
    ("重复的键", "县区:\n  名称: {类型: 文本}\n  名称: {类型: 日期}\n".encode(), True),
    ("深嵌套", ("县区:\n" + "".join("  " * (i + 1) + f"层{i}:\n" for i in range(200))).encode(), True),
    ("带 BOM 的正常扩展", b"\xef\xbb\xbf" + "县区:\n  名称: {类型: 文本}\n".encode(), False),
]

POLICY_CASES = [
    ("条号 ≥ 10000", "第10000条（大）\n> 应当\n声明性条款\n"),
    ("条号 第零条", "第零条（零）\n> 应当\n声明性条款\n"),
    ("巨大的百分比", "新增参数\n  【巨比例】 = " + "9" * 60 + "%\n"),
    ("巨大的金额", "新增参数\n  【巨额】 = " + "9" * 60 + "万元\n"),
    ("巨大的期限", "新增参数\n  【巨期】 = " + "9" * 30 + "个工作日\n"),
    ("哨兵日期", "施行日期 9999-12-31\n"),
    ("一千个「且」", "第四十七条（长）\n> 应当\n规则 47.1 依据“应当” 若 " + "项目.涉密 为 是 且 " * 1000 + "项目.涉密 为 是 则 违规 “x”\n"),
    ("深嵌套的「非」", "第四十七条（深）\n> 应当\n规则 47.1 依据“应当” 若 " + "非" * 3000 + "项目.涉密 为 是 则 违规 “x”\n"),
    ("基础办法不是 UTF-8", None),
]


# ---------------------------------------------------------------- running
def located(error: ToolError, file: str) -> bool:
    if isinstance(error, (FactsErrors, PolicyErrors)):
        return all(located(e, file) for e in error.errors)
    if isinstance(error, FactsError):
        return bool(error.file) and bool(error.line or error.key_path)
    if isinstance(error, PolicyError):
        return error.span is not None
    return file in error.render()


def values_differ(facts, text: str) -> str | None:
    """For an accepted file: a written money, date or text that the facts hold differently."""
    try:  # PyYAML's own reader and constructor: nothing shared with engine.plain_data
        raw = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        try:  # libyaml is more lenient than PyYAML's pure reader (a tab before a key's colon)
            raw = yaml.load(text, Loader=yaml.CBaseLoader)
        except yaml.YAMLError:
            return "accepted a file neither YAML reader reads"
    for path, value in facts.values.items():
        node = raw
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, str):
            continue
        if isinstance(value, Decimal) and money_as_written(node) != value:
            return f"{path}: wrote {node!r}, held {value}"
        if isinstance(value, dt.date) and date_as_written(node) != value:
            return f"{path}: wrote {node!r}, held {value}"
        if isinstance(value, str) and node.strip() and value != node:
            return f"{path}: wrote {node!r}, held {value!r}"
    return None


# A line, or a key path; a mistake of the whole file (too large, not UTF-8, empty, not a mapping) names the file.
_LOCATED = re.compile(r"^input\.\w+(:\d+: 错误\[E\d+\]: |: 错误\[E\d+\]: 「|: 错误\[E30[12367]\]: )")


def run_facts(policy, folder: Path, name: str, form: str, text: str, meta: dict, timeout: float, tally: Counter, examples: list) -> None:
    """One file through the CLI's path (engine.batch.evaluate_files: read, validate,
    evaluate, and its last-resort E999); an accepted file is then checked against what was written."""
    path = folder / f"input.{form}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        result = next(evaluate_files(policy, [path], AS_OF, jobs=1))
        signal.setitimer(signal.ITIMER_REAL, 0)
        if result.error is not None:
            if "E999" in result.error:
                tally["E999"] += 1
                examples.append(f"[{name}] {result.error[:200]}")
            elif _LOCATED.match(result.error) or "错误[E400]" in result.error:  # a calendar gap names the year
                tally["located errors"] += 1
            else:
                tally["unlocated errors"] += 1
                examples.append(f"[{name}] unlocated: {result.error[:160]}")
            if meta.get("expect") is not None and meta["field"] in result.error:
                tally["silently wrong"] += 1  # refused what a person reads as valid: not silent, still wrong
                examples.append(f"[{name}] refused a valid value: {result.error[:160]}")
        else:
            tally["accepted"] += 1
            facts = load_facts(path, policy.vocabulary)
            wrong = None
            if meta.get("must_refuse"):
                wrong = "accepted an input that must be refused"
            elif "field" in meta and facts.values.get(meta["field"]) != meta["expect"]:
                wrong = f"{meta['field']}: expected {meta['expect']}, held {facts.values.get(meta['field'])}"
            elif meta.get("check_values"):
                wrong = values_differ(facts, text)
            if wrong:
                tally["silently wrong"] += 1
                examples.append(f"[{name}] silently wrong: {wrong}")
    except Hang:
        tally["hangs"] += 1
        examples.append(f"[{name}] hang over {timeout}s ({len(text)} characters)")
    except BaseException as error:  # noqa: BLE001 - what escapes the CLI's per-file path is a crash
        if isinstance(error, KeyboardInterrupt):
            raise
        tally["crashes"] += 1
        examples.append(f"[{name}] crash: {type(error).__name__}: {str(error)[:120]}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    tally["tried"] += 1


def run_policy(folder: Path, name: str, files: dict[str, bytes], must_refuse: bool, timeout: float, tally: Counter, examples: list) -> None:
    for file, content in files.items():
        (folder / file).write_bytes(content)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        load_policy(folder / "fork.rules", backend=Engine.DURABLE)
        tally["accepted"] += 1
        if must_refuse:
            tally["silently wrong"] += 1
            examples.append(f"[{name}] accepted an input that must be refused")
    except Hang:
        tally["hangs"] += 1
        examples.append(f"[{name}] hang over {timeout}s")
    except ToolError as error:
        tally["located errors" if located(error, "fork.rules") else "unlocated errors"] += 1
        if not located(error, "fork.rules"):
            examples.append(f"[{name}] unlocated: {error.render()[:160]}")
    except Exception as error:  # noqa: BLE001
        tally["crashes"] += 1
        examples.append(f"[{name}] crash: {type(error).__name__}: {str(error)[:120]}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for file in files:
            (folder / file).unlink(missing_ok=True)
    tally["tried"] += 1


def policy_inputs(rng: random.Random, count: int):
    base = BASE_POLICY.read_bytes()
    head = '继承 “jinxiang_2024.rules”\n'
    for name, extension, must_refuse in VOCABULARY_CASES:
        yield f"词汇：{name}", {"jinxiang_2024.rules": base, "扩展.yaml": extension,
                               "fork.rules": (head + '词汇 “扩展.yaml”\n').encode()}, must_refuse
    for name, body in POLICY_CASES:
        if body is None:
            yield f"办法：{name}", {"b.rules": "名称 “乙县”\n".encode("gbk"), "fork.rules": '继承 “b.rules”\n'.encode()}, True
        else:
            yield f"办法：{name}", {"jinxiang_2024.rules": base, "fork.rules": (head + body).encode()}, True
    for index in range(count):  # random header lines
        line = rng.choice(["继承", "词汇", "名称", "施行日期", "第", "新增参数\n  【x】 ="]) + rng.choice([" ", "", "：", "“"]) + \
            "".join(rng.choice("“”「」\"./\\第条0123456789年%万元 jinxiang_2024.rules扩展.yaml\n") for _ in range(rng.randint(0, 30)))
        yield "办法：随机的开头", {"jinxiang_2024.rules": base, "扩展.yaml": "县区:\n  名称: {类型: 文本}\n".encode(),
                                "fork.rules": (head + line + "\n").encode("utf-8", "surrogatepass")}, False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-class", type=int, default=400, help="facts files per class")
    parser.add_argument("--policies", type=int, default=60, help="random policy headers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per input")
    args = parser.parse_args()
    # A runaway input must fail inside this process, not take the machine down.
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, resource.RLIM_INFINITY))
    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(args.seed)
    policy = load_policy(backend=Engine.DURABLE)
    tallies: dict[str, Counter] = {}
    examples: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        os.chdir(folder)  # messages name files relative to the working directory, as the CLI's do
        for name, make in FACTS_CLASSES.items():
            tally = tallies.setdefault(name, Counter())
            for _ in range(args.per_class):
                form, text, meta = make(rng)
                run_facts(policy, folder, name, form, text, meta, args.timeout, tally, examples)
        for name, files, must_refuse in policy_inputs(rng, args.policies):
            run_policy(folder, name, files, must_refuse, args.timeout, tallies.setdefault(name.split("：")[0] + "与词汇" if name.startswith("办法") else "词汇扩展", Counter()), examples)
    columns = ["tried", "accepted", "located errors", "unlocated errors", "crashes", "hangs", "E999", "silently wrong"]
    total = sum(tallies.values(), Counter())
    print("class" + " " * 13 + "".join(f"{c:>17}" for c in columns))
    for name, tally in [*tallies.items(), ("TOTAL", total)]:
        print(name + " " * (18 - display_width(name)) + "".join(f"{tally[c]:>17}" for c in columns))
    print(f"\n{total['tried']} inputs in {time.perf_counter() - started:.1f} s; seed {args.seed}, time limit {args.timeout} s each")
    for line in examples[:30]:
        print("  " + line)
    bad = total["crashes"] + total["hangs"] + total["E999"] + total["silently wrong"] + total["unlocated errors"]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
