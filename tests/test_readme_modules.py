"""The README's module list (「模块」) names every module of the engine package, one line each, and
nothing that is not there; every module says in its docstring what it is. A module added without
a line, or removed with its line left behind, fails here."""
from __future__ import annotations

import ast
import re

from helpers import ROOT

ENGINE = ROOT / "engine"
# Alembic's scripts are listed as their folder (engine/register/migrations/), not one by one.
UNLISTED = ("migrations",)


def _modules() -> set[str]:
    return {path.relative_to(ROOT).as_posix() for path in ENGINE.rglob("*.py")
            if path.name != "__init__.py" and not set(path.relative_to(ENGINE).parts) & set(UNLISTED)
            and "__pycache__" not in path.parts}


def _listed() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## 模块（engine/）\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\s*- `(engine/[^`]+\.py)`：\S", section, re.MULTILINE)


def test_the_readme_lists_every_engine_module_once():
    listed = _listed()
    assert len(listed) == len(set(listed)), [name for name in listed if listed.count(name) > 1]
    assert sorted(_modules() - set(listed)) == [], "README.md「模块」缺少这些模块"
    assert sorted(set(listed) - _modules()) == [], "README.md「模块」列出了不存在的模块"


def test_every_engine_module_says_what_it_is():
    silent = [name for name in sorted(_modules() | {p.relative_to(ROOT).as_posix() for p in ENGINE.rglob("__init__.py")})
              if not ast.get_docstring(ast.parse((ROOT / name).read_text(encoding="utf-8")))]
    assert silent == []
