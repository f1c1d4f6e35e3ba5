"""The workbench cannot be taken down or made to fail inside: wrong JSON shapes get 400 (never 500),
bodies are capped (413), a client that stalls loses its connection, the listen backlog holds 50
connections at once, and only one scenario run (pytest in the server's process) runs at a time (429)."""
from __future__ import annotations

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import engine.workbench.scenario_desk as scenario_desk
from engine.scenario_results import ScenarioOutcome, ScenarioRun
from engine.policy_files import MAX_POLICY_BYTES
from engine.workbench.bodies import MAX_BODY_BYTES
from engine.workbench.server import version_of
from workbench_client import running_workbench


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    with running_workbench(tmp_path_factory.mktemp("limits"), client_timeout=1.0) as running:
        yield running


WRONG_SHAPES = [
    ("/api/evaluate", {"fields": 1}, "「fields」应为对象"),
    ("/api/evaluate", {"fields": [1, 2]}, "「fields」应为对象"),
    ("/api/evaluate", {"fields": {"项目.编号": {"深": 1}}}, "「项目.编号」的值应为文字、文字列表或记录（字段名→文字）的列表"),
    ("/api/evaluate", {"fields": {"项目": "x", "项目.编号": "y"}}, "「项目」和「项目.编号」不能同时填写"),
    ("/api/evaluate", {"fields": {"项目..编号": "y"}}, "用点分隔的字段名"),
    ("/api/evaluate", {"as_of": 20261127}, "「as_of」应为文字"),
    ("/api/evaluate", {"as_of": "2026-13-01"}, "评估日期应写成 2026-11-27"),
    ("/api/evaluate", {"sample": ["应急指挥调度系统"]}, "「sample」应为文字"),
    ("/api/evaluate", {"sample": "../../policies/jinxiang_2024"}, "没有名为「../../policies/jinxiang_2024」的示例项目"),
    ("/api/evaluate", {"sample": "a\x00b"}, "没有名为"),
    ("/api/evaluate", {"facts_text": {"项目": {}}}, "「facts_text」应为文字"),
    ("/api/check", {"text": 1}, "「text」应为文字"),
    ("/api/check", {"text": None}, "「text」应为文字"),
    ("/api/check", {}, "缺少「text」"),
    ("/api/check", {"text": "", "extra": 1}, "「extra」不是这个接口认识的键"),
    ("/api/save", {"text": "x", "version": 5}, "「version」应为文字"),
    ("/api/save", {"text": "x", "version": "v", "force": "yes"}, "「force」应为true 或 false"),
    ("/api/scenarios", {"article": 28}, "「article」应为文字"),
    ("/api/check", [], "请求应为 JSON 对象（{…}），收到的是数组"),
    ("/api/check", "text", "收到的是文字"),
    ("/api/check", None, "收到的是null"),
]


@pytest.mark.parametrize(("path", "body", "message"), WRONG_SHAPES, ids=[f"{p}-{json.dumps(b, ensure_ascii=False)}" for p, b, _ in WRONG_SHAPES])
def test_a_wrong_json_shape_gets_400_with_a_message(workbench, path, body, message):
    status, data = workbench.call(path, raw=json.dumps(body, ensure_ascii=False).encode("utf-8"))
    assert status == 400 and data["error"].startswith("请求无法理解：") and message in data["error"]


@pytest.mark.parametrize("path", ["/api/check", "/api/save"])
def test_a_policy_text_over_the_loaders_limit_is_refused_even_when_forced(workbench, path):
    original = workbench.policy.read_text(encoding="utf-8")
    body = {"text": "#" * (MAX_POLICY_BYTES + 1), "version": version_of(original), "force": True}
    if path == "/api/check":
        body = {"text": body["text"]}
    status, data = workbench.call(path, body)
    assert (status, data["error"]) == (400, f"请求无法理解：「text」：政策文件有 {MAX_POLICY_BYTES + 1} 字节，超过 {MAX_POLICY_BYTES} 字节的上限")
    assert workbench.policy.read_text(encoding="utf-8") == original


@pytest.mark.parametrize("raw", [b"not json", b"\xff\xfe", b"[" * 100_000, '{"text": "\\ud800"}'.encode(), b'{"text": "a"'],
                         ids=["not-json", "not-utf8", "deep", "lone-surrogate", "cut-short"])
def test_bytes_that_are_not_usable_json_get_400(workbench, raw):
    status, data = workbench.call("/api/check", raw=raw)
    assert status == 400 and data["error"].startswith("请求无法理解：")


def _raw_exchange(workbench, request: bytes, wait: float = 10.0) -> bytes:
    with socket.create_connection(("127.0.0.1", workbench.port), timeout=wait) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def _post_head(workbench, length: int, path: str = "/api/check") -> bytes:
    headers = {**workbench.page_headers(), "Host": f"127.0.0.1:{workbench.port}", "Content-Length": str(length)}
    return (f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode("utf-8")


def test_a_body_over_the_cap_is_refused_before_it_is_read(workbench):
    answer = _raw_exchange(workbench, _post_head(workbench, MAX_BODY_BYTES + 1))
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 413 ")
    assert json.loads(body)["error"] == f"请求太大（{MAX_BODY_BYTES + 1} 字节），上限是 {MAX_BODY_BYTES} 字节。"


def test_chunked_or_nonsense_lengths_are_refused(workbench):
    chunked = _post_head(workbench, 0).replace(b"Content-Length: 0", b"Transfer-Encoding: chunked")
    assert _raw_exchange(workbench, chunked + b"5\r\nhello\r\n0\r\n\r\n").startswith(b"HTTP/1.0 411 ")
    assert _raw_exchange(workbench, _post_head(workbench, 0).replace(b"Content-Length: 0", b"Content-Length: -5")
                         ).startswith(b"HTTP/1.0 400 ")


@pytest.mark.parametrize("stall", ["in the headers", "in the body"])
def test_a_client_that_stalls_loses_its_connection(workbench, stall):
    partial = _post_head(workbench, 100)[:40] if stall == "in the headers" else _post_head(workbench, 100) + b'{"text": '
    started = time.monotonic()
    answer = _raw_exchange(workbench, partial, wait=15.0)  # the server closes after its 1 s timeout
    assert time.monotonic() - started < 10
    assert b" 200 " not in answer.split(b"\r\n")[0]
    assert workbench.call("/api/samples")[0] == 200


def test_a_client_that_trickles_its_body_loses_its_connection(workbench):
    # Each byte arrives within the 1 s socket timeout; before the whole-body deadline a thread was held
    # for as long as the client cared to trickle (4 MB at a byte a second: seven weeks).
    connection = socket.create_connection(("127.0.0.1", workbench.port), timeout=10)
    started = time.monotonic()
    try:
        connection.sendall(_post_head(workbench, 100))
        while time.monotonic() - started < 15:
            try:
                connection.sendall(b" ")
            except OSError:
                break  # the server closed the connection
            connection.settimeout(0.5)
            try:
                if connection.recv(65536) == b"":
                    break
            except TimeoutError:
                pass
    finally:
        connection.close()
    assert time.monotonic() - started < 8  # the deadline is four 1 s timeouts
    assert workbench.call("/api/samples")[0] == 200


def test_the_listen_backlog_holds_50_connections_while_the_server_is_busy(tmp_path):
    """All 50 connect and send before the server accepts any; each is then answered."""
    with running_workbench(tmp_path) as running:
        running.server.shutdown()  # stop accepting, keep the listening socket
        request = (f"GET /api/samples HTTP/1.1\r\nHost: 127.0.0.1:{running.port}\r\nConnection: close\r\n\r\n").encode()
        connections = []
        try:
            for _ in range(50):
                connection = socket.create_connection(("127.0.0.1", running.port), timeout=3)  # a full queue: SYN dropped, times out
                connection.sendall(request)
                connections.append(connection)
            threading.Thread(target=running.server.serve_forever, daemon=True).start()

            def answer(connection: socket.socket) -> bytes:
                connection.settimeout(30)
                data = b""
                while chunk := connection.recv(65536):
                    data += chunk
                return data
            with ThreadPoolExecutor(10) as pool:
                answers = list(pool.map(answer, connections))
        finally:
            for connection in connections:
                connection.close()
        assert [a.split(b"\r\n")[0] for a in answers] == [b"HTTP/1.0 200 OK"] * 50


def test_one_scenario_run_at_a_time(workbench, monkeypatch):
    started, release = threading.Event(), threading.Event()

    def slow_run(target, policy, selection, time_limit, **_):
        started.set()
        release.wait(30)
        return ScenarioRun("policies/jinxiang_2024.rules", [ScenarioOutcome("f.feature", 3, "一", ("第三十条",), result="通过")])
    monkeypatch.setattr(scenario_desk, "run_scenarios", slow_run)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(workbench.call, "/api/scenarios", {"article": "第三十条"})
        assert started.wait(30)
        status, data = workbench.call("/api/scenarios", {"article": ""})
        assert (status, data["error"]) == (429, "已有一次规格场景正在运行，请等它结束后再试。")
        release.set()
        status, data = first.result(timeout=30)
        assert (status, data["通过"], data["失败"], data["摘要"]) == (200, 1, 0, "通过 1，失败 0")
    assert workbench.call("/api/scenarios", {"article": "第三十条"})[0] == 200  # free again



def _shuffled(count: int, step: int) -> str:
    return "".join(f"{index * step % count}\n" for index in range(count))


def test_a_merge_longer_than_any_policy_is_refused_at_once(workbench):
    # Two shuffled texts of 20,000 lines kept a thread busy for 25 s (difflib is quadratic at worst).
    started = time.monotonic()
    status, data = workbench.call("/api/merge", {"base": _shuffled(20_000, 1), "mine": _shuffled(20_000, 7)})
    assert time.monotonic() - started < 5
    assert status == 422 and data["error"] == "错误[E510]: 草稿所依据的文本有 20000 行，超过合并的上限 5000 行（本县的政策文件不到一千行）；请把草稿复制出来，手工对照修改"
    status, data = workbench.call("/api/merge", {"base": "a\n", "mine": _shuffled(5_001, 1)})
    assert status == 422 and "草稿有 5001 行" in data["error"]


def test_one_merge_at_a_time(workbench, monkeypatch):
    import engine.workbench.api as api
    started, release = threading.Event(), threading.Event()

    def slow_merge(base, theirs, mine):
        started.set()
        release.wait(30)
        return []
    monkeypatch.setattr(api, "merge_groups", slow_merge)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(workbench.call, "/api/merge", {"base": "a", "mine": "b"})
        assert started.wait(30)
        assert workbench.call("/api/merge", {"base": "a", "mine": "b"}) == (429, {"error": "另一次合并正在进行，请等它结束后再试。"})
        release.set()
        assert first.result(timeout=30)[0] == 200
    assert workbench.call("/api/merge", {"base": "a", "mine": "b"})[0] == 200


OVERSIZED_PARTS = [
    # 100,000 made-up field names took 19 s to be refused one by one; a 1.9 MB pasted text 7.5 s.
    ("/api/evaluate", {"fields": {f"a{i}": "x" for i in range(2_001)}}, "表单最多 2000 个字段，收到 2001 个"),
    ("/api/facts-form/check", {"fields": {f"a{i}": "x" for i in range(2_001)}}, "表单最多 2000 个字段"),
    ("/api/evaluate", {"fields": {"实施.变更": [{"日期": "2025-01-01"}] * 1_001}}, "「实施.变更」有 1001 项，超过 1000 项的上限"),
    ("/api/evaluate", {"fields": {"立项.应用类型": ["x"] * 1_001}}, "「立项.应用类型」有 1001 项"),
    ("/api/evaluate", {"fields": {"项目.名称": "名" * 30_000}}, "「项目.名称」的文字有 90000 字节，超过 65535 字节的上限"),
    ("/api/evaluate", {"fields": {"实施.变更": [{"事项": "x" * 70_000}]}}, "「实施.变更」的文字有 70000 字节"),
    ("/api/evaluate", {"facts_text": "项目:\n  名称: " + "x" * 1_000_000}, "超过单个事实文件 1000000 字节的上限"),
    ("/api/report", {"facts_text": "x" * 1_000_001}, "事实有 1000001 字节"),
    ("/api/facts-form/load", {"facts_text": "x" * 1_000_001}, "事实有 1000001 字节"),
    # the Gherkin parser took 21 s for a 2 MB example table, at every save, listing and run after
    ("/api/scenarios/save", {"file": "01_第一章_总则.feature", "text": "    | 1 |\n" * 22_000, "version": "0", "force": True},
     "规格文件有 220000 字节，超过 200000 字节的上限"),
]


@pytest.mark.parametrize(("path", "body", "message"), OVERSIZED_PARTS, ids=[f"{p}-{m[:12]}" for p, _, m in OVERSIZED_PARTS])
def test_every_part_of_a_body_is_bounded_before_any_work(workbench, path, body, message):
    started = time.monotonic()
    status, data = workbench.call(path, body)
    assert status == 400 and message in data["error"], data
    assert time.monotonic() - started < 5
