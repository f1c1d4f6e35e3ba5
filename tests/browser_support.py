"""Headless Chromium for the workbench's browser tests: where it is, how it is launched, and the rule
that CI must have it (.ci/run installs Debian's chromium) while a developer's machine may skip."""
from __future__ import annotations

import os
import shutil

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
