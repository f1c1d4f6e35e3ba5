"""政策工作台: a local web page where policy staff read, edit and try the rules.

A small HTTP server from the standard library, bound to 127.0.0.1 only, serving one static page
(vanilla JavaScript, nothing to build, no CDN) and a JSON API over the same façade the CLI uses:
articles, check, save, evaluate, scenarios, and a printable report. Every error is answered as
JSON with the same messages as `check`; nothing ever shows a traceback, and the server keeps
serving after an error. Saving is atomic and refuses to overwrite a file changed elsewhere.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import threading
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .. import render
from ..errors import PolicyErrors, ToolError, relative_name
from ..facts import facts_files, load_facts, nest, parse_facts_data, validate_facts
from ..features import feature_files
from ..policy import ROOT, CompiledPolicy, compile_file_text, load_policy, read_policy_text
from ..values import parse_date

STATIC = Path(__file__).resolve().parent / "static"
SAMPLES = ROOT / "facts" / "示例"
MAX_BODY = 2_000_000
_TAG = re.compile(r"@(第[^\s@]+条)")
_SCENARIO = re.compile(r"^\s*(?:场景大纲|场景|剧本)\s*[:：]\s*(.+)$")


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def diagnostics(error: ToolError) -> list[dict]:
    """Errors as the page shows them: position, code, message, hint, article, and the rendering of `check`."""
    errors = error.errors if isinstance(error, PolicyErrors) else [error]
    result = []
    for item in errors:
        span = getattr(item, "span", None)
        result.append({"code": item.code, "message": item.message, "hint": item.hint, "article": getattr(item, "article", None),
                       "line": span.line if span else None, "column": span.column if span else None,
                       "end_line": span.end_line if span else None, "end_column": span.end_column if span else None,
                       "rendered": item.render()})
    return result


def scenarios_by_article(folder: Path) -> dict[str, list[str]]:
    """Scenario names of the feature files, by the article tags above them."""
    found: dict[str, list[str]] = {}
    for path in feature_files(folder):
        pending: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("@"):
                pending.extend(_TAG.findall(line))
                continue
            match = _SCENARIO.match(line)
            if match:
                for label in pending:
                    found.setdefault(label, []).append(match.group(1).strip())
                pending = []
    return found


class Workbench:
    """The state behind the page: one policy file, compiled; reloaded after each save."""

    def __init__(self, policy_path: Path) -> None:
        self.policy_path = policy_path
        self.lock = threading.Lock()
        self.compiled: CompiledPolicy | None = None
        self.load_error: ToolError | None = None
        self.reload()

    def reload(self) -> None:
        try:
            compiled = load_policy(self.policy_path)
        except ToolError as error:
            self.load_error = error
            return
        old, self.compiled, self.load_error = self.compiled, compiled, None
        if old is not None:
            old.close()

    def policy(self) -> CompiledPolicy:
        if self.compiled is None:
            raise self.load_error or ToolError("政策文件无法加载")
        return self.compiled

    # ------------------------------------------------------------------ API
    def get_policy(self) -> dict:
        text = read_policy_text(self.policy_path)
        return {"file": relative_name(self.policy_path), "text": text, "version": version_of(text)}

    def check(self, body: dict) -> dict:
        text = str(body.get("text", ""))
        try:
            compiled, _ = compile_file_text(self.policy_path, text)
        except ToolError as error:
            return {"ok": False, "errors": diagnostics(error)}
        return {"ok": True, "errors": [], "articles": len(compiled.articles), "rules": len(compiled.rules)}

    def save(self, body: dict) -> tuple[int, dict]:
        text = str(body.get("text", ""))
        with self.lock:
            current = read_policy_text(self.policy_path)
            if body.get("version") != version_of(current):
                return HTTPStatus.CONFLICT, {"error": "政策文件已在别处被修改（另一个标签页或编辑器）。请先复制你的修改，重新载入后再保存。"}
            try:
                compile_file_text(self.policy_path, text)
            except ToolError as error:
                if not body.get("force"):
                    return HTTPStatus.UNPROCESSABLE_ENTITY, {"error": "修改后的政策文件不能编译，没有保存。", "errors": diagnostics(error)}
            temporary = self.policy_path.with_name(f".{self.policy_path.name}.{os.getpid()}.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.policy_path)  # atomic: readers see the old file or the new one, never half
            self.reload()
        return HTTPStatus.OK, {"version": version_of(text), "compiled": self.load_error is None}

    def articles(self) -> dict:
        compiled = self.policy()
        scenarios = scenarios_by_article(ROOT / "features")
        articles = render.articles_json(compiled.ir)
        for article in articles:
            rules = [r for r in compiled.ir.rules if r.article.label == article["条号"]]
            article["规则"] = [{"规则": r.rule_id, "类别": sorted({o.kind for o in r.outcomes}), "依据": r.quote,
                              "写法": compiled.ir.rule_text(r), "出处": f"{r.span.file}:{r.span.line}"} for r in rules]
            article["场景"] = scenarios.get(article["条号"], [])
        meta = compiled.ir.meta
        return {"办法": meta.name, "文号": meta.number, "施行日期": str(meta.effective or ""), "条文": articles}

    def vocabulary(self) -> dict:
        compiled = self.policy()
        fields = [{"字段": spec.path, "类型": spec.type, "取值": list(spec.words), "单位": spec.unit, "说明": spec.description,
                   "必填": spec.required} for spec in compiled.vocabulary.fields.values() if spec.type != "记录列表"]
        words = sorted(set(re.findall(r'"([\u4e00-\u9fff]{1,6})"', (ROOT / "grammar" / "policy.lark").read_text(encoding="utf-8"))))
        return {"字段": fields, "关键词": words, "参数": sorted(compiled.ir.params)}

    def samples(self) -> dict:
        return {"示例": [p.stem for p in facts_files([SAMPLES])]}

    def evaluate(self, body: dict) -> dict:
        compiled = self.policy()
        as_of = parse_date(body["as_of"]) if body.get("as_of") else None
        if body.get("sample"):
            path = SAMPLES / f"{Path(str(body['sample'])).name}.yaml"
            facts = load_facts(path, compiled.vocabulary)
        elif body.get("facts_text"):
            text = str(body["facts_text"])
            facts = validate_facts(parse_facts_data(text, "粘贴的事实", False), compiled.vocabulary, "粘贴的事实", text)
        else:
            fields = {k: v for k, v in (body.get("fields") or {}).items() if v not in ("", None, [])}
            facts = validate_facts(nest(fields), compiled.vocabulary, "表单")
        return compiled.evaluate(facts, as_of or facts.as_of or dt.date.today()).to_json()

    def run_scenarios(self, body: dict) -> dict:
        args = [sys.executable, "-m", "pytest", str(ROOT / "features"), "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
                "-c", str(ROOT / "pyproject.toml"), f"--policy={self.policy_path.resolve()}"]
        article = str(body.get("article") or "")
        if article:
            if not re.fullmatch(r"第[零〇一二两三四五六七八九十百千]+条", article):
                raise ToolError(f"无法识别的条号「{article}」", hint="写成如 第二十八条")
            args += ["-m", article]
        result = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=600)
        lines = result.stdout.strip().splitlines()
        summary = lines[-1] if lines else ""
        passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", summary)) else 0
        failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", summary)) else 0
        failures = [line for line in lines if line.startswith("FAILED")]
        return {"passed": passed, "failed": failed, "summary": summary, "failures": failures}

    def report_html(self, query: dict) -> str:
        body = {"sample": query.get("sample", [""])[0], "as_of": query.get("as_of", [""])[0]}
        report = self.evaluate(body)
        return printable_report(report, self.policy())


def printable_report(report: dict, compiled: CompiledPolicy) -> str:
    """One project's findings as a page a reviewer can print and attach; everything is escaped."""
    e = html.escape
    rows = []
    for finding in report["发现"]:
        basis = "；".join(f"{e(k)}：{e(str(v))}" for k, v in finding["依据"].items())
        extra = e(finding["截止日期"] or "、".join(finding["缺少"]))
        record = f"（第{finding['项']}项）" if "项" in finding else ""
        reading = f"<br><small class=\"reading\">释义：{e(finding['释义'])}</small>" if "释义" in finding else ""
        rows.append(f"<tr><td>{e(finding['类别'])}</td><td>{e(finding['条号'])}</td><td>{e(finding['规则'])}</td>"
                    f"<td>{e(finding['摘要'] + record)}{reading}</td><td>{e(finding['原文'])}</td><td>{basis}</td><td>{extra}</td></tr>")
    meta = compiled.ir.meta
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>合规检查报告 {e(report['项目编号'])}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:4px;vertical-align:top;font-size:13px}}
h1{{font-size:20px}}@media print{{button{{display:none}}}}</style></head><body>
<h1>政务信息化项目合规检查报告</h1>
<p>项目：{e(report['项目编号'])} {e(report['项目名称'])}<br>依据：{e(meta.name)}（{e(meta.number)}），政策版本 {e(compiled.ir.fingerprint)}<br>
评估日期：{e(report['评估日期'])}　结论：<strong id="结论">{e(report['结论'])}</strong></p>
<table><thead><tr><th>类别</th><th>条号</th><th>规则</th><th>摘要</th><th>原文</th><th>依据的事实</th><th>截止日期／缺少</th></tr></thead>
<tbody>{''.join(rows) or '<tr><td colspan="7">未发现问题。</td></tr>'}</tbody></table>
<p><button onclick="window.print()">打印</button></p></body></html>"""


class Handler(BaseHTTPRequestHandler):
    workbench: Workbench
    server_version = "PolicyWorkbench/1"  # HTTP headers are Latin-1

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal shows the address, not every request

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ToolError(f"请求太大（{length} 字节）")
        data = json.loads(self.rfile.read(length).decode("utf-8") or "{}")
        if not isinstance(data, dict):
            raise ToolError("请求应为 JSON 对象")
        return data

    def _guard(self, action) -> None:
        """Answer every failure as JSON with our own message; never a traceback, never a dead server."""
        try:
            action()
        except ToolError as error:
            self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": error.render(), "errors": diagnostics(error)})
        except (ValueError, KeyError, json.JSONDecodeError) as error:
            self._json(HTTPStatus.BAD_REQUEST, {"error": f"请求无法理解：{error}"})
        except Exception:  # noqa: BLE001 - logged on the server's terminal, not shown to the page
            traceback.print_exc()
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "内部错误，已记录在运行工作台的终端里。"})

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        url = urlparse(self.path)
        routes = {
            "/api/policy": lambda: self._json(HTTPStatus.OK, self.workbench.get_policy()),
            "/api/articles": lambda: self._json(HTTPStatus.OK, self.workbench.articles()),
            "/api/vocabulary": lambda: self._json(HTTPStatus.OK, self.workbench.vocabulary()),
            "/api/samples": lambda: self._json(HTTPStatus.OK, self.workbench.samples()),
            "/report": lambda: self._send(HTTPStatus.OK, self.workbench.report_html(parse_qs(url.query)).encode("utf-8"),
                                          "text/html; charset=utf-8"),
        }
        self._guard(routes.get(url.path) or (lambda: self._static(url.path)))

    def _static(self, url_path: str) -> None:
        name = "index.html" if url_path in ("/", "/index.html") else url_path.removeprefix("/static/")
        path = (STATIC / name).resolve()
        if STATIC not in path.parents or not path.is_file():
            self._json(HTTPStatus.NOT_FOUND, {"error": "没有这个页面"})
            return
        types = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
        self._send(HTTPStatus.OK, path.read_bytes(), types.get(path.suffix, "application/octet-stream") + "; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802 - the http.server interface
        url = urlparse(self.path)

        def save() -> None:
            status, data = self.workbench.save(self._body())
            self._json(status, data)
        routes = {
            "/api/check": lambda: self._json(HTTPStatus.OK, self.workbench.check(self._body())),
            "/api/save": save,
            "/api/evaluate": lambda: self._json(HTTPStatus.OK, self.workbench.evaluate(self._body())),
            "/api/scenarios": lambda: self._json(HTTPStatus.OK, self.workbench.run_scenarios(self._body())),
        }
        if url.path not in routes:
            self._json(HTTPStatus.NOT_FOUND, {"error": "没有这个接口"})
            return
        self._guard(routes[url.path])


def make_server(policy_path: Path, port: int) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"workbench": Workbench(policy_path)})
    return ThreadingHTTPServer(("127.0.0.1", port), handler)
