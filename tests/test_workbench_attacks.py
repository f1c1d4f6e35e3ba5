"""Hostile pages, in a real headless Chromium: a page from another origin (a second local server on
another port) tries every request a browser lets it send without asking the workbench first — a
`text/plain` fetch, a JSON fetch, a form post — and a page whose host name was re-pointed at
127.0.0.1 (DNS rebinding, simulated with Chromium's host resolver rules) reads and writes as if it
were the workbench's own. The policy file stays as it was, and the server saw each attempt and
refused it (so the test cannot pass because a request never left the browser).

Chromium's own Private Network Access checks are switched off: Firefox and Safari have none, so the
workbench must hold without them."""
from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from engine.workbench.server import Handler, version_of
from workbench_client import running_workbench

from browser_support import browser_context, print_sample_report, require_browser, serving  # noqa: E402

require_browser()

REBOUND_HOST = "rebind.test"  # resolves to 127.0.0.1 inside the test's browser only

ATTACKER_PAGE = """<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="form" method="post" action="TARGET/api/save" enctype="text/plain" target="sink">
  <input name='{"text": "FORM", "version": "VERSION", "force": true, "x": "' value='"}'>
</form>
<script>
const body = JSON.stringify({text: "PLAIN", version: "VERSION", force: true});
const outcome = {};
async function attempt(name, request) {
  try { const response = await request(); outcome[name] = response.type === "opaque" ? "opaque" : String(response.status); }
  catch (error) { outcome[name] = "blocked"; }
}
(async () => {
  await attempt("plain", () => fetch("TARGET/api/save", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body}));
  await attempt("json", () => fetch("TARGET/api/save", {method: "POST", headers: {"Content-Type": "application/json", "X-Workbench-Token": "guess"}, body}));
  await attempt("scenarios", () => fetch("TARGET/api/scenarios", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: "{}"}));
  await new Promise((done) => { document.querySelector("iframe").onload = done; document.querySelector("#form").submit(); setTimeout(done, 5000); });
  document.title = "done " + JSON.stringify(outcome);
})();
</script></body></html>"""

REBOUND_PAGE = """<!doctype html><html><body><script>
(async () => {
  const outcome = {};
  const read = await fetch("/api/policy");
  outcome.read = read.status;
  outcome.text = (await read.text()).includes("规则 28.2");
  const write = await fetch("/api/save", {method: "POST", headers: {"Content-Type": "application/json", "X-Workbench-Token": "guess"},
                                          body: JSON.stringify({text: "REBOUND", version: "VERSION", force: true})});
  outcome.write = write.status;
  document.title = "done " + JSON.stringify(outcome);
})();
</script></body></html>"""


@pytest.fixture
def workbench(tmp_path, monkeypatch):
    """A running workbench whose handler records (method, path, status) of every answer."""
    answered: list[tuple[str, str, int]] = []
    real_log_request = Handler.log_request

    def record(handler, code="-", size="-"):
        answered.append((handler.command, handler.path.split("?")[0], int(code)))
        real_log_request(handler, code, size)
    monkeypatch.setattr(Handler, "log_request", record)
    with running_workbench(tmp_path) as running:
        running.answered = answered
        yield running


@pytest.fixture
def attacker():
    """A second local server, on another port, serving whatever page the test sets."""
    pages: dict[str, str] = {}

    class AttackerHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server interface
            body = pages.get(self.path, "").encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), AttackerHandler)
    with serving(server) as url:
        yield url, pages


@pytest.fixture
def browser():
    with browser_context(f"--host-resolver-rules=MAP {REBOUND_HOST} 127.0.0.1",
                         "--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,"
                         "PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks") as context:
        yield context.new_page()


def _outcome(page) -> dict:
    page.wait_for_function("document.title.startsWith('done ')", timeout=30_000)
    return json.loads(page.title().removeprefix("done "))


def _wait_until(condition, seconds: float = 10.0) -> None:
    """The form's post is a navigation the page cannot await; give the server time to answer it."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_page_from_another_origin_cannot_write_or_run(workbench, attacker, browser):
    original = workbench.policy.read_text(encoding="utf-8")
    site, pages = attacker
    pages["/"] = ATTACKER_PAGE.replace("TARGET", workbench.url).replace("VERSION", version_of(original))
    browser.goto(site + "/")
    outcome = _outcome(browser)
    expected = {("POST", "/api/save", 403), ("OPTIONS", "/api/save", 403), ("POST", "/api/scenarios", 403)}
    _wait_until(lambda: expected <= set(workbench.answered) and workbench.answered.count(("POST", "/api/save", 403)) >= 2)
    # The preflight is refused; the no-cors answers (403) are not even handed over as opaque ones
    # (Cross-Origin-Resource-Policy: same-origin).
    assert outcome == {"plain": "blocked", "json": "blocked", "scenarios": "blocked"}
    assert expected <= set(workbench.answered)
    assert [a for a in workbench.answered if a[0] == "POST" and a[1] == "/api/save"] == [("POST", "/api/save", 403)] * 2  # fetch, form
    assert not [a for a in workbench.answered if a[2] == 200]
    assert workbench.policy.read_text(encoding="utf-8") == original


def test_a_rebound_host_name_can_neither_read_nor_write(workbench, browser):
    original = workbench.policy.read_text(encoding="utf-8")
    rebound = f"http://{REBOUND_HOST}:{workbench.port}"
    # The attacker's page, served under a name that now resolves to 127.0.0.1: its own requests go to the workbench.
    browser.route(rebound + "/", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=REBOUND_PAGE.replace("VERSION", version_of(original))))
    browser.goto(rebound + "/")
    assert _outcome(browser) == {"read": 403, "text": False, "write": 403}
    assert {("GET", "/api/policy", 403), ("POST", "/api/save", 403)} <= set(workbench.answered)
    assert workbench.policy.read_text(encoding="utf-8") == original


EMBEDDING_PAGE = """<!doctype html><html><body>
<img id="img" src="TARGET/api/scenarios">
<script id="script" src="TARGET/api/policy"></script>
<link id="link" rel="stylesheet" href="TARGET/api/articles">
<script>
window.addEventListener("load", () => { document.title = "done " + JSON.stringify({loaded: true}); });
</script></body></html>"""


def test_a_page_from_another_origin_cannot_make_the_workbench_work_for_it(workbench, attacker, browser):
    # It cannot read what it embeds, but each embed was work for the server (parsing every feature file).
    site, pages = attacker
    pages["/"] = EMBEDDING_PAGE.replace("TARGET", workbench.url)
    browser.goto(site + "/")
    assert _outcome(browser) == {"loaded": True}
    embedded = {("GET", "/api/scenarios", 403), ("GET", "/api/policy", 403), ("GET", "/api/articles", 403)}
    _wait_until(lambda: embedded <= set(workbench.answered))
    assert embedded <= set(workbench.answered)
    assert not [a for a in workbench.answered if a[2] == 200]


def test_the_page_and_its_printed_report_run_under_a_policy_that_forbids_injected_script(workbench):
    """Without bypassing the Content-Security-Policy (as the other browser tests do to use
    Playwright's predicates): the page loads, edits, evaluates and prints with no violation, and an
    HTML event handler injected into it does not run."""
    watch = ("window.violations = []; document.addEventListener('securitypolicyviolation', "
             "(event) => window.violations.push(event.violatedDirective + ' ' + event.blockedURI));")
    with browser_context(bypass_csp=False, viewport={"width": 1280, "height": 900}) as context:
        context.add_init_script(watch)
        page = context.new_page()
        page.goto(workbench.url)
        page.wait_for_selector("#article-list .article", state="attached")
        page.click("nav button[data-tab=editor]")
        page.wait_for_selector("#source .cm-content")
        report = print_sample_report(page)
        report.wait_for_selector("#结论")
        assert report.inner_text("#结论") == "不合规"
        assert report.evaluate("getComputedStyle(document.querySelector('thead th')).backgroundColor") == "rgb(238, 238, 238)"  # its own <style>
        assert report.evaluate("window.violations") == []  # its 打印 button's handler is allowed by its hash
        assert page.evaluate("window.violations") == []
        page.evaluate("""() => { const box = document.createElement("div");
                                 box.innerHTML = '<img src="data:," onerror="window.injected = 1">'; document.body.append(box); }""")
        page.wait_for_timeout(500)
        assert page.evaluate("window.injected") is None
        assert any(v.startswith("script-src") for v in page.evaluate("window.violations"))
