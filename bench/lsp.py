"""The language server's answer time: from sending a didChange of a whole policy to receiving its
published diagnostics, through the protocol (pygls's own client, server in a child process as an
editor runs it). Run by hand; prints figures. Never a timed test.

    python bench/lsp.py              # 30 changes per case
    python bench/lsp.py --changes 10

Cases, each on the full text: a comment edited (the policy checks and is linted), a field name
misspelt (a syntax error: the parser's article-by-article pass runs), a rule quoting text its
article lacks (a check error), and the fork 南阳湖县 (its base is parsed with it on every change).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "jinxiang_2024.rules"
FORK = ROOT / "policies" / "南阳湖县_2025.rules"


def cases() -> list[tuple[str, Path, callable]]:
    policy, fork = POLICY.read_text(encoding="utf-8"), FORK.read_text(encoding="utf-8")
    return [
        ("金乡办法，改一行注释（无错误，含 lint）", POLICY, lambda n: policy + f"\n# 修改 {n}\n"),
        ("金乡办法，字段名写错（语法错误，逐条重解析）", POLICY, lambda n: policy.replace("合同.签订日期", "合同.签定日期", 1) + f"\n# {n}\n"),
        ("金乡办法，依据不在原文中（检查错误）", POLICY, lambda n: policy.replace("依据“在中标（成交）通知书", "依据“在中标通知书", 1) + f"\n# {n}\n"),
        ("南阳湖县（继承金乡办法），改一行注释", FORK, lambda n: fork + f"\n# 修改 {n}\n"),
    ]


async def measure(changes: int) -> None:
    client = LanguageClient("bench-lsp", "1")
    published: dict[tuple[str, int], float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published[(params.uri, params.version)] = time.perf_counter()
        published[(params.uri, "count")] = len(params.diagnostics)
        arrived.set()

    await client.start_io(sys.executable, str(ROOT / "cli.py"), "lsp")
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=ROOT.as_uri()))
    client.initialized(types.InitializedParams())
    load = os.getloadavg()[0]
    print(f"本机 {os.cpu_count()} 核，测量开始时的 1 分钟平均负载 {load:.1f}（负载高于核数时各项数字随之变大）")
    print(f"{'情形':<34} {'诊断数':>6} {'中位数':>8} {'p90':>8} {'最大':>8}（毫秒，{changes} 次修改，第一次打开不计）")
    for name, path, text_for in cases():
        uri = path.as_uri()
        published.clear()  # versions start again at 1 when a document is opened again
        arrived.clear()
        client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "jinxiang-policy", 1, text_for(0))))
        await arrived.wait()
        timings = []
        for version in range(2, changes + 2):
            arrived.clear()
            sent = time.perf_counter()
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [types.TextDocumentContentChangeWholeDocument(text=text_for(version))]))
            while (uri, version) not in published:
                await arrived.wait()
                arrived.clear()
            timings.append((published[(uri, version)] - sent) * 1000)
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
        ordered = sorted(timings)
        print(f"{name:<34} {published[(uri, 'count')]:>6} {statistics.median(ordered):>8.1f} "
              f"{ordered[int(len(ordered) * 0.9)]:>8.1f} {ordered[-1]:>8.1f}")
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def cpu_times(changes: int) -> None:
    """The same analyses in this process, timed in CPU seconds: on a shared, overloaded machine the
    wall-clock figures above include waiting for a core; this is the work itself."""
    sys.path.insert(0, str(ROOT))
    from engine.lsp.analysis import analyse
    print(f"\n{'同样的分析在本进程内的 CPU 时间':<30} {'中位数':>8} {'p90':>8}（毫秒）")
    for name, path, text_for in cases():
        analysis = analyse(path.resolve(), text_for(0))
        timings = []
        for version in range(2, changes + 2):
            start = time.process_time()
            analysis = analyse(path.resolve(), text_for(version), analysis)
            timings.append((time.process_time() - start) * 1000)
        ordered = sorted(timings)
        print(f"{name:<34} {statistics.median(ordered):>8.1f} {ordered[int(len(ordered) * 0.9)]:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30)
    changes = parser.parse_args().changes
    asyncio.run(measure(changes))
    cpu_times(changes)


if __name__ == "__main__":
    main()
