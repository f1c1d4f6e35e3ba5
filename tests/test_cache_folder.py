"""The cache folder holds only what can be computed again: the policy parser loaded from its
saved tables reads a policy exactly as one built fresh, a damaged tables file is built anew, and
no usable folder means no cache, never an error."""
from __future__ import annotations

import pytest

from helpers import ROOT
from engine import cache_folder as folder_module
from engine.cache_folder import cache_folder, set_cache_folder
from engine.policy import compile_policy
from engine.vocabulary import load_vocabulary
from engine.parser import build_parser

POLICY = ROOT / "policies" / "jinxiang_2024.rules"


@pytest.fixture
def chosen(monkeypatch):
    """Leaves the process's choice of folder, and the parsers built meanwhile, as they were."""
    monkeypatch.setattr(folder_module, "_chosen", folder_module._chosen)
    build_parser.cache_clear()
    yield
    build_parser.cache_clear()


def compiled() -> str:
    build_parser.cache_clear()
    return repr(compile_policy(POLICY.read_text(encoding="utf-8"), "jinxiang_2024.rules", load_vocabulary()))


def test_saved_parser_tables_read_the_policy_as_fresh_ones(chosen, tmp_path):
    set_cache_folder(None)
    fresh = compiled()
    set_cache_folder(tmp_path)
    assert compiled() == fresh  # builds and saves the tables
    [tables] = tmp_path.glob("parser-*.lark")
    saved = tables.stat().st_mtime_ns
    assert compiled() == fresh  # loads them
    assert tables.stat().st_mtime_ns == saved
    tables.write_bytes(tables.read_bytes()[:500])  # a torn write
    assert compiled() == fresh
    assert tables.stat().st_size > 500  # built anew and saved again


def test_no_usable_folder_means_no_cache(chosen, tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("", encoding="utf-8")
    set_cache_folder(blocked)
    assert cache_folder() is None
    set_cache_folder(None)
    assert cache_folder() is None
    set_cache_folder(tmp_path / "new" / "folder")
    assert cache_folder() == tmp_path / "new" / "folder" and cache_folder().is_dir()
