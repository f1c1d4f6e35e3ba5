"""Shared test material: paths, the compliant base project, and a way to write a project as key
paths, validated exactly as a facts file is. (A module of its own: features/ has a conftest too.)"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from engine.facts import flatten, nest, validate_facts

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "facts" / "示例"
AS_OF = dt.date(2026, 11, 27)

# A project that every article accepts (shared with the feature files); cases change a few keys of it.
BASE_PROJECT_FILE = ROOT / "features" / "基准项目.yaml"
BASE_PROJECT = flatten(yaml.safe_load(BASE_PROJECT_FILE.read_text(encoding="utf-8")))


def line_number(text: str, needle: str) -> int:
    """The number (from 1, as editors and the workbench count) of the first line of `text` that starts
    with `needle`: tests name a policy line by what it says, so adding lines above it does not break them."""
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(needle))


def make_project(vocabulary, changes: dict | None = None, removed: tuple[str, ...] = ()):
    flat = {k: v for k, v in BASE_PROJECT.items() if k not in removed}
    flat.update(changes or {})
    return validate_facts(nest(flat), vocabulary, "测试项目.yaml")
