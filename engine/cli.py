"""The command line, `jinxiang-policy` (from a checkout, `python3 cli.py`): check, eval, explain,
articles, lint, fmt, diff, draft, serve, coverage, lsp, fix-features and the register's commands.
Each command calls the façade (engine.policy or engine.register); formatting is the only choice
made here. Exit status: 0 clean, 1 违规 or 后果 found, 2 unusable input (never a traceback)."""
from __future__ import annotations

import contextlib
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from engine import language
from engine.errors import ToolError, UsageError, relative_name
from engine.facts import facts_files, load_facts
from engine.policy import DEFAULT_POLICY, CompiledPolicy, load_policy
from engine.report import Report
from engine.staff_labels import staff_labels
from engine.text import article_label, parse_article_label
from engine.values import OutOfRange, parse_date
from engine.backend import Engine

if TYPE_CHECKING:
    from rich.console import Console

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def _console(stderr: bool = False) -> Console:
    from rich.console import Console  # not imported by the commands that print no table (eval --format json)
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False, soft_wrap=False)


def _as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except OutOfRange as exc:
        raise UsageError(f"--as-of 的{exc}") from None
    except ValueError:
        raise UsageError(f"--as-of 的日期「{text}」无法识别", hint="应写成如 2026-11-27") from None


def _policy(path: str | None) -> CompiledPolicy:
    return load_policy(Path(path) if path else DEFAULT_POLICY, backend=Engine.DURABLE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """政务信息化项目建设管理办法：检查政策文件、评估项目事实。"""


@cli.command()
@click.argument("policy", required=False)
def check(policy: str | None) -> None:
    """检查政策文件能否编译（语法、字段、参数、原文引用）。"""
    compiled = _policy(policy)
    rules = len(compiled.ir.rules)
    # echo, not rich: a long path (an installed tool's site-packages) must not be wrapped mid-name
    click.echo(f"检查通过：{compiled.ir.file}，{len(compiled.ir.articles)} 条，{rules} 条规则。")


@cli.command(name="eval")
@click.argument("facts", nargs=-1, required=True)
@click.option("--policy", "policy_path", help="政策文件，默认 policies/jinxiang_2024.rules")
@click.option("--as-of", "as_of", help="评估日期，如 2026-11-27；默认取事实文件中的评估日期，再默认今天")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="输出格式")
@click.option("--jobs", type=int, default=None, help="并行的进程数，默认为处理器核数")
@click.option("--cache", "cache", default=None,
              help="缓存文件夹（政策解析表、按文件内容记住的校验过的事实），再评估时更快；默认 ~/.cache/jinxiang-policy，可随时删除")
@click.option("--no-cache", "no_cache", is_flag=True, help="不读也不写缓存")
def evaluate(facts: tuple[str, ...], policy_path: str | None, as_of: str | None, output: str, jobs: int | None,
             cache: str | None, no_cache: bool) -> None:
    """评估一个或多个项目事实文件（文件夹表示其中所有事实文件）。"""
    from engine.batch import default_jobs
    from engine.cache_folder import cache_folder, set_cache_folder
    when = _as_of(as_of)
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs 应为正整数，而不是 {jobs}")
    if no_cache or cache:
        set_cache_folder(None if no_cache else Path(cache))
    compiled = _policy(policy_path)
    files = facts_files([Path(f) for f in facts])
    if not files:
        raise UsageError("没有找到事实文件", hint="给出 .yaml、.yml 或 .json 文件，或包含它们的文件夹")
    jobs, cache_in_use = jobs or default_jobs(), cache_folder()
    if output == "json":
        # The shape follows what was asked for, not how many files were found: one file gives one
        # object; a folder or several paths give an array, even when the folder holds one file.
        _print_json(compiled, files, when, jobs, cache_in_use, in_array=not (len(facts) == 1 and not Path(facts[0]).is_dir()))
    else:
        _print_text(compiled, files, when, jobs, cache_in_use)


def _print_text(compiled: CompiledPolicy, files: list[Path], when: dt.date | None, jobs: int, cache: Path | None) -> None:
    from engine import render
    from engine.batch import evaluate_files
    from engine.eval_output import ConsoleSettings, DrawnFile, TextPrinter, write_drawn
    out = _console()
    show_progress = out.is_terminal and len(files) >= PROGRESS_FROM
    labels = staff_labels(compiled)
    # Each report is drawn in the worker that evaluated it, on a console set up as this one.
    send = TextPrinter(ConsoleSettings.of(out), labels, draws=not out.legacy_windows)
    drawn: list[DrawnFile] = []
    with _progress(out, len(files), show_progress) as advance:
        for one in evaluate_files(compiled, files, when, jobs, cache, send=send):
            drawn.append(one)
            advance()
    results = [one.result for one in drawn]
    # Every file has its own result, in input order, on stdout: a report, or the error that made the
    # file unusable (also on stderr, where scripts look for errors).
    for result in results:
        if result.error:
            click.echo(result.error, err=True)
    for result, one in zip(results, drawn):
        if one.drawn is not None:
            write_drawn(out, one.drawn)
            continue
        if result.report is not None:
            render.print_report(out, result.report, labels)
        else:
            render.print_unusable(out, relative_name(result.path), result.error or "")
        out.print()
    if len(files) > 1:
        reports = [r.report for r in results if r.report is not None]
        render.print_summary(out, reports, sum(1 for r in results if r.error))
    _exit(any(r.error for r in results), any(r.has_violations for r in results))


def _print_json(compiled: CompiledPolicy, files: list[Path], when: dt.date | None, jobs: int, cache: Path | None,
                in_array: bool) -> None:
    """Each file's JSON is made in the worker that evaluated it and written here as it arrives,
    in input order; its error, if any, goes to stderr just before (where scripts look for errors)."""
    from engine.batch import evaluate_files
    from engine.eval_output import JsonPrinter, write_json
    printed = evaluate_files(compiled, files, when, jobs, cache, send=JsonPrinter(in_array))
    unusable, violations = write_json(sys.stdout, printed, in_array, lambda error: click.echo(error, err=True))
    _exit(unusable, violations)


def _exit(unusable: bool, violations: bool) -> None:
    sys.exit(EXIT_UNUSABLE if unusable else EXIT_FINDINGS if violations else EXIT_CLEAN)


PROGRESS_FROM = 50  # files; fewer finish before a bar would be worth drawing


@contextlib.contextmanager
def _progress(console: Console, total: int, enabled: bool):
    if not enabled:
        yield lambda: None
        return
    from rich.progress import Progress
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("评估中", total=total)
        yield lambda: progress.advance(task)


@cli.command()
@click.argument("facts")
@click.argument("article")
@click.option("--policy", "policy_path", help="政策文件，默认 policies/jinxiang_2024.rules")
@click.option("--as-of", "as_of", help="评估日期，如 2026-11-27")
def explain(facts: str, article: str, policy_path: str | None, as_of: str | None) -> None:
    """说明某一条对某个项目的判定过程：读取的事实、计算的日期、规则、原文。"""
    from engine import render
    compiled = _policy(policy_path)
    target = _find_article(compiled, article)
    project = load_facts(Path(facts), compiled.vocabulary)
    evaluation, values, records = compiled.evaluate_recorded(project, _as_of(as_of))
    click.echo("\n".join(render.explain(evaluation, values, records, target)))


def _find_article(compiled: CompiledPolicy, text: str):
    label = text.strip()
    if not label.startswith("第"):
        label = f"第{label}条"
    number = parse_article_label(label)
    if number is None:
        raise UsageError(f"无法识别的条号「{text}」", hint="写成如 第二十八条 或 28")
    label = article_label(*number)
    for article in compiled.ir.articles:
        if number is not None and (article.number, article.sub) == number:
            return article
    raise UsageError(f"本办法中没有{label}", hint="用 articles 命令列出所有条文")


@cli.command()
@click.argument("policy", required=False)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="输出格式")
def articles(policy: str | None, output: str) -> None:
    """列出每一条的条号、标题、原文和规则数。"""
    from engine import render
    compiled = _policy(policy)
    if output == "json":
        click.echo(render.to_json(render.articles_json(compiled.ir)))
    else:
        render.print_articles(_console(), compiled.ir)


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="输出格式")
def diff(old: str, new: str, output: str) -> None:
    """逐条比较两份办法：新增、废止、修改的条文（原文逐字比较、规则的变化）和参数的变化。"""
    from engine import render
    from engine.diff import diff_policies, render_text
    a, b = load_policy(Path(old), backend=Engine.REFERENCE), load_policy(Path(new), backend=Engine.REFERENCE)
    result = diff_policies(a.ir, b.ir, a.vocabulary, b.vocabulary)
    if output == "json":
        click.echo(render.to_json(result))
    else:
        click.echo("\n".join(render_text(result)))


@cli.command()
@click.argument("policy", required=False)
def lint(policy: str | None) -> None:
    """检查能编译但可能写错的地方：原文与原文出处不一致、未使用的参数、自相矛盾的条件等。"""
    from engine.lint import lint_policy
    compiled = _policy(policy)
    warnings = lint_policy(compiled.ir, Path(policy) if policy else DEFAULT_POLICY)
    for warning in warnings:
        click.echo(warning.render())
    click.echo(f"{compiled.ir.file}：{len(warnings)} 处警告。")
    sys.exit(EXIT_FINDINGS if warnings else EXIT_CLEAN)


@cli.command()
@click.argument("files", nargs=-1)
@click.option("--check", "check_only", is_flag=True, help="只检查是否已是规范格式，不改文件")
def fmt(files: tuple[str, ...], check_only: bool) -> None:
    """把政策文件整理成规范格式（只改空格和空行，不改原文、注释和引号中的文字）。不是政策文件的不改。"""
    from engine.atomic_write import write_text_atomically
    from engine.formatter import format_policy_file
    from engine.policy import read_policy_text
    paths = [Path(f) for f in files] or [DEFAULT_POLICY]
    unformatted, refused = 0, 0
    for path in paths:
        try:
            text = read_policy_text(path)
            formatted = format_policy_file(path, text)
        except ToolError as error:  # one file that is not a policy does not stop the others
            click.echo(error.render(), err=True)
            refused += 1
            continue
        if formatted == text:
            continue
        unformatted += 1
        if check_only:
            click.echo(f"需要整理：{relative_name(path)}")
        else:
            try:
                write_text_atomically(path, formatted)
            except OSError as exc:  # the file is unchanged: the rename is the only write to it
                click.echo(UsageError(f"{relative_name(path)}: 无法保存（{exc.strerror or exc}），文件没有改动").render(), err=True)
                refused += 1
                continue
            click.echo(f"已整理：{relative_name(path)}")
    if refused:
        sys.exit(EXIT_UNUSABLE)
    if check_only and unformatted:
        sys.exit(EXIT_FINDINGS)


@cli.command()
@click.option("--policy", "policy_path", help="政策文件，默认 policies/jinxiang_2024.rules")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="输出格式")
def coverage(policy_path: str | None, output: str) -> None:
    """在本进程内运行这份政策自己的全部场景，列出失败的场景，逐条列出每条规则是否被见到触发、见到不触发。"""
    from engine import render
    from engine.features import coverage_summary, coverage_table, run_features
    compiled = _policy(policy_path)
    result = run_features(Path(policy_path) if policy_path else None)
    # A fork is held to the rules written in its own file; what it inherits is specified by its base.
    own_only = bool(policy_path) and Path(policy_path).resolve() != DEFAULT_POLICY.resolve()
    if output == "json":
        table = coverage_table(compiled.ir, result.fired, result.silent, own_only)
        failures = [s.failure.to_json() for s in result.scenarios if s.failure is not None]
        click.echo(render.to_json({"场景": {"通过": result.passed, "失败": result.failed, "未运行": result.not_run,
                                          "失败的场景": failures, "问题": result.problems},
                                   "规则": [{"规则": rid, "条号": label, "见到触发": f, "见到不触发": s} for rid, label, f, s in table]}))
    else:
        click.echo(f"场景：{result.summary()}")
        for problem in result.problems:
            click.echo(problem)
        for scenario in result.scenarios:  # each failure as its author reads it: file:line, step, expected against found
            if scenario.failure is not None:
                click.echo(scenario.failure.render())
        click.echo(coverage_summary(compiled.ir, result.fired, result.silent, own_only))
    complete = all(f and s for _, _, f, s in coverage_table(compiled.ir, result.fired, result.silent, own_only))
    sys.exit(EXIT_CLEAN if complete and result.failed == 0 else EXIT_FINDINGS)


@cli.command(name="fix-features")
@click.argument("folder", default="features")
def fix_features(folder: str) -> None:
    """把规格文件中「功能：」「场景：」等关键词后的全角冒号改为半角（只改这一处）。"""
    from engine.atomic_write import write_text_atomically
    from engine.features import feature_files, fix_feature_text
    changed, unusable = 0, 0
    for path in feature_files(Path(folder)):
        try:
            text = path.read_bytes().decode("utf-8")
            fixed = fix_feature_text(text)
            if fixed != text:
                write_text_atomically(path, fixed)  # a crash leaves the old file or the new one
                changed += 1
                click.echo(f"已修正 {path}")
        except (OSError, UnicodeDecodeError) as exc:  # one unusable file does not stop the others
            problem = "不是 UTF-8 编码的文本，请用 UTF-8 另存" if isinstance(exc, UnicodeDecodeError) else f"无法读写（{exc.strerror or exc}）"
            click.echo(UsageError(f"{path}: {problem}，文件没有改动").render(), err=True)
            unusable += 1
    click.echo(f"共修正 {changed} 个文件。")
    if unusable:
        sys.exit(EXIT_UNUSABLE)


@cli.command()
@click.argument("text")
@click.option("--base", "base_path", default=str(DEFAULT_POLICY), show_default=True, help="被继承的政策文件")
@click.option("-o", "--output", "output_path", required=True, help="要写出的本县政策文件，如 policies/湖西县_2025.rules")
@click.option("--revision", is_flag=True, help="TEXT 是同一部办法的修订文本（新版本，有自己的施行日期）")
@click.option("--force", is_flag=True, help="覆盖已有的文件")
def draft(text: str, base_path: str, output_path: str, revision: bool, force: bool) -> None:
    """从正式文本起草本县政策文件：逐条与被继承的办法对照，写出参数改动、修改、废止、新增条文和条号对照。"""
    from engine.draft import draft_files
    written, result = draft_files(Path(text), Path(base_path), Path(output_path), revision=revision, force=force)
    for path in written:
        click.echo(f"已写出：{relative_name(path)}")
    click.echo(result.summary())
    try:
        compiled = load_policy(Path(output_path), backend=Engine.REFERENCE)
    except ToolError as error:
        click.echo(error.render(), err=True)
        click.echo("起草的政策文件还不能通过检查：按上面的提示改，再运行 cli.py check。", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"检查通过：{compiled.ir.file}，{len(compiled.ir.articles)} 条，{len(compiled.ir.rules)} 条规则。"
               "接下来运行 cli.py lint 查看「待编写规则」的条文。")


@cli.command()
@click.option("--policy", "policy_path", help="政策文件，默认 policies/jinxiang_2024.rules")
@click.option("--port", type=int, default=8765, help="端口，默认 8765")
@click.option("--db", "database", help="「台账」页使用的台账数据库，默认同 register 命令（台账.db）")
@click.option("--features", "features_path",
              help="「规格场景」页读写的规格文件夹；默认为政策文件旁的 features/，没有时为本工具的 features/")
def serve(policy_path: str | None, port: int, database: str | None, features_path: str | None) -> None:
    """打开政策工作台：在本机浏览器里阅读、编辑、试算规则，查看项目台账（只监听 127.0.0.1）。"""
    from engine.workbench.server import make_server
    policy = Path(policy_path) if policy_path else DEFAULT_POLICY
    # A copy of a policy elsewhere is edited with the scenarios beside it, never silently with the
    # tool's own feature files (a staffer working on a copy would otherwise rewrite the originals).
    beside = policy.resolve().parent / "features"
    features = Path(features_path) if features_path else beside if beside.is_dir() else None
    if features is not None and not features.is_dir():
        raise UsageError(f"没有规格文件夹「{features_path}」", hint="--features 写一个存在的文件夹，如政策文件旁的 features")
    try:
        server = make_server(policy, port, register_database=database, features=features)
    except OSError as error:
        raise UsageError(f"无法在端口 {port} 上启动：{error.strerror or error}", hint="换一个端口，如 --port 8766") from None
    click.echo(f"政策工作台已启动：http://127.0.0.1:{server.server_address[1]}/　（按 Ctrl+C 退出）")
    scenarios = server.workbench.scenarios
    read_only = "" if scenarios.folder.writable else "（本工具随附的规格，只读；页面上可复制到政策文件旁再改）"
    click.echo(f"政策文件：{policy.resolve()}\n规格文件夹：{scenarios.features.resolve()}{read_only}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("已退出。")
    finally:
        server.server_close()


@cli.command()
def lsp() -> None:
    """启动语言服务器（标准输入输出），供 VS Code 等编辑器使用：诊断、补全、悬停说明、跳转到定义、格式化。"""
    from engine.lsp.server import serve
    serve()


# --- 项目台账 (engine/register): the bureau's portfolio in a database -------------------------------

def _db_option(command):
    command = click.option("--db", "database", help="台账数据库：文件路径（SQLite，默认 台账.db）或 postgresql://… 地址")(command)
    return click.option("--policy", "policy_path", help="政策文件，默认 policies/jinxiang_2024.rules")(command)


def _register(database: str | None, policy_path: str | None):
    from engine.register import Register
    return Register.open(database, Path(policy_path) if policy_path else DEFAULT_POLICY)


def _actor(by: str | None) -> str:
    import getpass
    try:
        return by or getpass.getuser()
    except (KeyError, OSError):
        return "未署名"


@cli.group()
def register() -> None:
    """项目台账：导入、修改、查询全部项目及其变更记录，导出 Excel 和日历。"""


@register.command(name="import")
@click.argument("sources", nargs=-1, required=True)
@_db_option
@click.option("--skip-bad", is_flag=True, help="跳过有错的文件或行，导入其余的（默认有错则全部不导入）")
@click.option("--by", help="记录人，默认为当前系统用户")
def register_import(sources: tuple[str, ...], database: str | None, policy_path: str | None, skip_bad: bool, by: str | None) -> None:
    """导入事实文件、文件夹或 Excel 台账（.xlsx）：每处改动记为一条变更。"""
    from engine.register.sources import ImportErrors
    book = _register(database, policy_path)
    summary = book.import_sources([Path(s) for s in sources], actor=_actor(by), skip_bad=skip_bad)
    if summary.skipped:
        click.echo(ImportErrors(summary.skipped, skipped=True).render(), err=True)
    unchanged = summary.projects - summary.new - summary.changed
    click.echo(f"已导入 {summary.projects} 个项目：新增 {summary.new} 个，有变化 {summary.changed} 个，"
               f"无变化 {unchanged} 个；记录变更 {summary.events} 条。")


@register.command(name="list")
@_db_option
@click.option("--as-of", "as_of", help="评估日期，默认今天")
@click.option("--unit", help="只列出这个建设单位的项目")
@click.option("--stage", help="只列出这个阶段的项目（储备、评审、立项、预算、采购、合同、实施、验收、评价）")
@click.option("--conclusion", type=click.Choice(["不合规", "信息不全", "合规", "不适用", "无法评估"]), help="只列出这个结论的项目")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="输出格式")
def register_list(database, policy_path, as_of, unit, stage, conclusion, output) -> None:
    """列出台账中的项目：结论、违规数、下一个截止日期和剩余天数（截止日期近的在前）。"""
    from engine import render
    from engine.register.text import print_dashboard
    when = _as_of(as_of) or dt.date.today()
    rows = _register(database, policy_path).dashboard(when, unit=unit, stage=stage, conclusion=conclusion)
    if output == "json":
        click.echo(render.to_json(rows))
    else:
        print_dashboard(_console(), rows, when.isoformat())
    sys.exit(EXIT_FINDINGS if any(r["违规数"] for r in rows) else EXIT_CLEAN)


@register.command(name="show")
@click.argument("project_id")
@_db_option
@click.option("--as-of", "as_of", help="查看某一天的情况：当天结束时已记录的事实、当天施行的政策")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="输出格式")
def register_show(project_id, database, policy_path, as_of, output) -> None:
    """一个项目的台账记录和评估结果。"""
    from engine import render
    from engine.register.text import print_record
    when = _as_of(as_of) or dt.date.today()
    register = _register(database, policy_path)
    shown = register.show(project_id, when)
    if output == "json":
        click.echo(render.to_json(shown))
    else:
        out = _console()
        print_record(out, shown["事实"], shown["政策指纹"])
        if "错误" in shown["报告"]:
            out.print(f"无法评估：{shown['报告']['错误']}")
        else:
            render.print_report(out, Report.from_json(shown["报告"], shown["政策指纹"]), staff_labels(register.policy.compiled))
    sys.exit(EXIT_FINDINGS if any(f["类别"] in language.BREACH_KINDS for f in shown["报告"]["发现"]) else EXIT_CLEAN)


@register.command(name="history")
@click.argument("project_id")
@_db_option
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="输出格式")
def register_history(project_id, database, policy_path, output) -> None:
    """一个项目的全部变更：时间、人员、来源、字段、原值 → 新值。"""
    from engine import render
    from engine.register.text import print_history
    rows = _register(database, policy_path).history(project_id)
    if output == "json":
        click.echo(render.to_json(rows))
    else:
        print_history(_console(), project_id, rows)


@register.command(name="due")
@_db_option
@click.option("--within", type=click.IntRange(min=0), default=30, show_default=True, help="多少天以内（含当天和第 N 天）")
@click.option("--as-of", "as_of", help="从哪一天算起，默认今天")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="输出格式")
def register_due(database, policy_path, within, as_of, output) -> None:
    """列出即将到期的待办：截止日期、剩余天数、项目、条文和摘要。"""
    from engine import render
    from engine.register.text import print_due
    when = _as_of(as_of) or dt.date.today()
    book = _register(database, policy_path)
    rows = book.due(when, within)
    if output == "json":
        click.echo(render.to_json(rows))
    else:
        print_due(_console(), rows, when.isoformat(), within)
    unjudged = book.dashboard_rows(when, conclusion="无法评估")
    if unjudged:  # their deadlines are unknown, so they cannot be listed as due: say so
        click.echo(f"另有 {len(unjudged)} 个项目无法评估，到期事项未列入（如 {unjudged[0]['项目编号']}）；"
                   "用 register list --conclusion 无法评估 查看原因。", err=True)


@register.command(name="set")
@click.argument("project_id")
@click.argument("field")
@click.argument("value")
@_db_option
@click.option("--by", help="记录人，默认为当前系统用户")
def register_set(project_id, field, value, database, policy_path, by) -> None:
    """修改一个项目的一个字段（如 合同.签订日期 2025-04-21；写 "" 表示改回未填），记为一条变更。"""
    change = _register(database, policy_path).set_field(project_id, field, value, actor=_actor(by))
    if change is None:
        click.echo(f"{project_id} 的「{field}」已经是这个值，没有记录变更。")
    else:
        old = "（未填）" if change.old is None else change.old
        new = "（未填）" if change.new is None else change.new
        click.echo(f"已记录：{project_id} 的「{field}」{old} → {new}")


@register.command(name="export")
@_db_option
@click.option("--format", "output", type=click.Choice(["xlsx", "ics", "json"]), required=True, help="导出格式")
@click.option("-o", "--output", "target", help="输出文件；默认 台账.xlsx、台账待办.ics，json 写到标准输出")
@click.option("--as-of", "as_of", help="评估日期，默认今天")
def register_export(database, policy_path, output, target, as_of) -> None:
    """导出台账：Excel（每个项目一行，含结论、违规、下一截止日期）、日历（每项待办一个事件）或 JSON。"""
    from engine.register.export import export_register
    when = _as_of(as_of) or dt.date.today()
    written = export_register(_register(database, policy_path), output, Path(target) if target else None, when)
    if written is None:
        return
    if isinstance(written, str):
        click.echo(written)
    else:
        click.echo(f"已导出：{relative_name(written)}")


def main() -> None:
    """Entry point: a ToolError is printed and exits 2; so does any crash, which must never read as
    'findings' (exit 1)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    try:
        cli.main(standalone_mode=False)
    except ToolError as error:
        click.echo(error.render(), err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        click.echo(f"错误[E500]: {error.format_message()}", err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Abort:
        sys.exit(EXIT_UNUSABLE)
    except SystemExit:
        raise
    except BaseException as error:  # noqa: BLE001 - a crash must exit 2, not 1
        click.echo(f"内部错误[E999]: {type(error).__name__}: {error}。请将命令和输入文件报告给开发人员。", err=True)
        sys.exit(EXIT_UNUSABLE)


if __name__ == "__main__":
    main()
