"""Headless Chromium for the workbench's browser tests: where it is, how it is launched, and the rule
that CI must have it (.ci/run installs Debian's chromium) while a developer's machine may skip."""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

# Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
LAUNCH_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run")


def require_browser(module_level: bool = True) -> None:
    """Skip (or, under CI, fail) when there is no Chromium or playwright."""
    if CHROMIUM and sync_playwright:
        return
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium and playwright for the workbench tests (.ci/run installs them)")
    pytest.skip("no Chromium or playwright on this machine", allow_module_level=module_level)


def launch(playwright, *extra_args: str):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*LAUNCH_ARGS, *extra_args])


# A loaded 2-core machine is slow (one textarea fill once took longer than Playwright's 30 s); a hang
# still fails.
BROWSER_TIMEOUT_MS = 120_000


@contextmanager
def browser_context(*extra_args: str, **options) -> Iterator:
    """A fresh headless Chromium and one context (`options` as for new_context: viewport, …).
    Playwright's string predicates (wait_for_function) are evaluated in the page, which the
    workbench's Content-Security-Policy forbids; tests drive the page with it bypassed, and
    test_workbench_attacks.py runs the page under it (bypass_csp=False)."""
    options.setdefault("bypass_csp", True)
    with sync_playwright() as playwright:
        browser = launch(playwright, *extra_args)
        context = browser.new_context(**options)
        context.set_default_timeout(BROWSER_TIMEOUT_MS)
        try:
            yield context
        finally:
            browser.close()


@contextmanager
def serving(server) -> Iterator[str]:
    """Run an HTTP server (the workbench, or a test's own page) on its thread; its URL."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# The 编辑规则 tab's text, read and edited through the page's own editor interface (static/source_editor.js;
# an ES module is loaded once per page, so this import is the instance the page uses). Edits go through
# the keyboard, as a staffer's would.
_EDITOR = "(await import('/static/source_editor.js'))"


def editor_text(page) -> str:
    return page.evaluate(f"async () => {_EDITOR}.getText()")


def editor_caret(page) -> dict:
    """{'line': …, 'column': …}, both from 1."""
    return page.evaluate(f"async () => {_EDITOR}.getCaret()")


def wait_for_editor_text(page, part: str) -> None:
    page.wait_for_function(f"async (part) => {_EDITOR}.getText().includes(part)", arg=part)


def replace_editor_text(page, text: str) -> None:
    """Select all and paste `text`, as a staffer would."""
    page.click("#source .cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)


def append_to_editor(page, text: str) -> None:
    page.click("#source .cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.insert_text(text)


def print_sample_report(page, sample: str = "应急指挥调度系统"):
    """From any tab: 试算 one of the bundled samples and open its printed report; the report's page."""
    page.click("nav button[data-tab=try]")
    page.wait_for_selector(f"#sample option[value='{sample}']", state="attached")
    page.select_option("#sample", sample)
    page.click("#evaluate")
    page.wait_for_selector(".finding")
    with page.expect_popup() as popup:
        page.click("#print-report")
    return popup.value
