"""Who may drive the workbench (engine/workbench/gate.py), asked without a browser: every request
that writes or runs needs JSON, the server's own Origin, a loopback Host and the launch secret;
reads need the Host. A refused request changes nothing and says why in Chinese.
(tests/test_workbench_attacks.py makes the same attacks from a real page in Chromium.)"""
from __future__ import annotations

import base64
import hashlib
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from engine.workbench.gate import Gate
from engine.workbench.server import TOKEN_HEADER, version_of
from workbench_client import running_workbench


@pytest.fixture
def workbench(tmp_path):
    with running_workbench(tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def untouched(tmp_path_factory):
    """One server for the tests whose requests are all refused (each asserts the file is unchanged)."""
    with running_workbench(tmp_path_factory.mktemp("untouched")) as running:
        yield running


def _writes(workbench) -> dict[str, dict]:
    original = workbench.policy.read_text(encoding="utf-8")
    return {
        "/api/save": {"text": "# 整个政策被换掉了\n", "version": version_of(original), "force": True},
        "/api/check": {"text": original},
        "/api/evaluate": {"sample": "应急指挥调度系统"},
        "/api/scenarios": {"article": "第三十条"},
    }


VIOLATIONS = {
    "没有口令": ({TOKEN_HEADER: None}, "没有带上本次启动的工作台口令"),
    "口令不对": ({TOKEN_HEADER: "guess"}, "没有带上本次启动的工作台口令"),
    "别的来源": ({"Origin": "http://evil.example"}, "请求来自「http://evil.example」"),
    "没有来源": ({"Origin": None}, "请求来自「（未注明来源）」"),
    "同主机别的端口": ({"Origin": "http://127.0.0.1:1"}, "请求来自「http://127.0.0.1:1」"),
    "纯文本": ({"Content-Type": "text/plain"}, "收到的是「text/plain」"),
    "表单": ({"Content-Type": "application/x-www-form-urlencoded"}, "必须是 JSON"),
    "别的主机名": ({"Host": "evil.example"}, "主机名「evil.example」不是本机工作台的地址"),
    "浏览器说来自别的网站": ({"Sec-Fetch-Site": "cross-site"}, "来自别的网页（cross-site）"),
    "浏览器说来自同站别的端口": ({"Sec-Fetch-Site": "same-site"}, "来自别的网页（same-site）"),
}


@pytest.mark.parametrize("violation", VIOLATIONS)
@pytest.mark.parametrize("path", ["/api/save", "/api/check", "/api/evaluate", "/api/scenarios"])
def test_a_write_or_run_without_every_credential_is_refused(untouched, path, violation):
    workbench = untouched
    headers, reason = VIOLATIONS[violation]
    if "Host" in headers:
        headers = {**headers, "Origin": "http://" + headers["Host"]}  # a rebound page is same-origin with itself
    original = workbench.policy.read_text(encoding="utf-8")
    status, data = workbench.call(path, _writes(workbench)[path], headers=headers)
    assert status == 403 and data["error"].startswith("拒绝访问：") and reason in data["error"]
    assert workbench.policy.read_text(encoding="utf-8") == original


def test_the_pages_own_requests_pass(workbench):
    status, data = workbench.call("/api/check", {"text": workbench.policy.read_text(encoding="utf-8")})
    assert status == 200 and data["ok"] is True
    status, _ = workbench.call("/api/check", {"text": ""}, headers={
        "Host": f"localhost:{workbench.port}", "Origin": f"http://localhost:{workbench.port}"})
    assert status == 200


def _status(url: str, host: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Host": host}), timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("path", ["/api/policy", "/api/articles", "/api/vocabulary", "/api/samples", "/", "/static/app.js"])
def test_a_rebound_host_cannot_read(untouched, path):
    workbench = untouched
    status, data = workbench.call(path, headers={"Host": f"rebind.example:{workbench.port}"})
    assert status == 403 and "主机名「rebind.example:" in data["error"]
    assert _status(workbench.url + path, f"localhost:{workbench.port}") == 200
    assert _status(workbench.url + path, f"127.0.0.1:{workbench.port}") == 200


def test_a_cors_preflight_is_never_answered(workbench):
    request = urllib.request.Request(workbench.url + "/api/save", method="OPTIONS", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-workbench-token"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert not [name for name in refused.value.headers if name.lower().startswith("access-control-")]


def test_the_secret_is_in_the_page_and_new_each_launch(workbench, tmp_path):
    with urllib.request.urlopen(workbench.url + "/", timeout=10) as response:
        page = response.read().decode("utf-8")
        assert response.headers["X-Frame-Options"] == "DENY"
    secret = re.search(r'<meta name="workbench-token" content="([^"]+)">', page).group(1)
    assert secret == workbench.server.gate.token and len(secret) >= 32
    (tmp_path / "second").mkdir()
    with running_workbench(tmp_path / "second") as second:
        assert second.server.gate.token != secret


def test_a_forced_save_still_needs_the_secret_and_the_current_version(workbench):
    original = workbench.policy.read_text(encoding="utf-8")
    forced = {"text": "整个政策被换成了不能编译的文字\n", "version": version_of(original), "force": True}
    assert workbench.call("/api/save", forced, headers={TOKEN_HEADER: None})[0] == 403
    status, data = workbench.call("/api/save", {**forced, "version": version_of("别的版本")})
    assert status == 409 and "已在别处被修改" in data["error"]
    assert workbench.policy.read_text(encoding="utf-8") == original
    status, data = workbench.call("/api/save", forced)  # the staffer's own choice, from the page
    assert (status, data["compiled"]) == (200, False)
    assert workbench.policy.read_text(encoding="utf-8") == forced["text"]


def test_the_printable_report_is_a_request_behind_the_whole_gate(workbench):
    """The report is asked for like every write: the secret in a header, never in an address."""
    sample = {"sample": "应急指挥调度系统"}
    assert workbench.call("/api/report", sample, headers={TOKEN_HEADER: None})[0] == 403
    assert workbench.call("/api/report", sample, headers={"Origin": "http://evil.example"})[0] == 403
    status, data = workbench.call("/api/report", sample)
    assert status == 200 and '<strong id="结论">不合规</strong>' in data["html"]
    link = f"{workbench.url}/report?sample=x&token={workbench.server.gate.token}"  # the old link is no page
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(link, timeout=30)
    assert refused.value.code == 404


def test_the_gate_on_port_80_accepts_what_browsers_send_there():
    gate = Gate(80)
    page = {"Host": "127.0.0.1", "Origin": "http://127.0.0.1", "Content-Type": "application/json; charset=utf-8",
            TOKEN_HEADER: gate.token}
    assert gate.refuse_write(page) is None
    assert gate.refuse_write({**page, "Host": "127.0.0.1:8080", "Origin": "http://127.0.0.1:8080"}) is not None
    assert Gate(8765).refuse_read({"Host": "127.0.0.1"}) is not None


API_READS = ["/api/policy", "/api/articles", "/api/scenarios", "/api/scenarios/file?file=" + urllib.parse.quote("01_第一章_总则.feature"), "/api/status",
             "/api/facts-form", "/api/meta"]


@pytest.mark.parametrize("path", API_READS)
def test_an_api_read_another_page_put_there_is_refused_before_any_work(untouched, path):
    # An <img> or <script> on another site cannot read the answer, but could make the server parse
    # every feature file on each load; browsers say who started the request (Fetch Metadata).
    workbench = untouched
    for site in ("cross-site", "same-site"):
        status, data = workbench.call(path, headers={"Sec-Fetch-Site": site})
        assert status == 403 and data["error"] == f"拒绝访问：浏览器说明这个请求来自别的网页（{site}），只接受工作台自己页面发出的请求。"
    for site in ("same-origin", "none", None):  # the page's own fetch, a typed address, a client that is not a browser
        assert workbench.call(path, headers={"Sec-Fetch-Site": site})[0] == 200


def test_the_page_itself_can_still_be_opened_from_a_link(untouched):
    request = urllib.request.Request(untouched.url + "/", headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and b"workbench-token" in response.read()


def test_every_answer_forbids_inline_script_framing_and_embedding(untouched):
    for path in ("/", "/static/app.js", "/api/status", "/nowhere"):
        request = urllib.request.Request(untouched.url + path)
        try:
            response = urllib.request.urlopen(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
        # the page's own files, and the printable report's one handler (onclick="window.print()") by its hash
        assert policy["script-src"] == "'self' 'unsafe-hashes' 'sha256-" + base64.b64encode(hashlib.sha256(b"window.print()").digest()).decode() + "'"
        assert policy["default-src"] == "'none'"
        assert (policy["frame-ancestors"], policy["object-src"], policy["base-uri"], policy["form-action"]) == ("'none'",) * 4
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
