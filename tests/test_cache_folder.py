"""The cache folder holds only what can be computed again: the policy parser loaded from its
saved tables reads a policy exactly as one built fresh, a damaged tables file is built anew, and
no usable folder means no cache, never an error. Nothing read from it is ever executed (no
pickles), and a folder or file another user could have written is not read at all."""
from __future__ import annotations

import os
import pickle

import pytest
from lark.grammar import Rule
from lark.lexer import TerminalDef

from helpers import ROOT
from engine import cache_folder as folder_module
from engine.cache_folder import cache_folder, set_cache_folder
from engine.policy import compile_policy
from engine.vocabulary import load_vocabulary
from engine.parser import build_parser
from engine.parser_tables import load_tables

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
    [tables] = tmp_path.glob("parser-*.json")
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


class _Planted:
    """A pickle that, when loaded, leaves a file behind: what a planted cache entry could do."""

    def __init__(self, marker) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_planted_pickle_in_the_cache_folder_is_never_loaded(chosen, tmp_path):
    cache = tmp_path / "cache"
    set_cache_folder(cache)
    fresh = compiled()
    [tables] = cache.glob("parser-*.json")
    marker = tmp_path / "ran"
    # Lark's own pickling cache (what the tables file was before), at its old name and at the new one.
    planted = b"0" * 64 + b"\n" + pickle.dumps(_Planted(marker))
    tables.with_suffix(".lark").write_bytes(planted)
    tables.write_bytes(planted)
    os.chmod(tables, 0o600)
    assert compiled() == fresh
    assert not marker.exists()


def test_saved_tables_are_lark_s_own_data_again(chosen, tmp_path):
    set_cache_folder(tmp_path)
    fields = ("合同.签订日期", "项目.名称")
    built = build_parser(fields)
    [tables] = tmp_path.glob("parser-*.json")
    loaded = load_tables(tables, built.source_grammar)
    assert loaded is not None and loaded.memo_serialize([TerminalDef, Rule]) == built.memo_serialize([TerminalDef, Rule])
    assert load_tables(tables, built.source_grammar + "\n") is None  # saved for another grammar


def test_a_folder_another_user_can_write_is_not_used(chosen, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    set_cache_folder(shared)
    assert cache_folder() == shared
    shared.chmod(0o777)  # as /tmp, or a group-writable ~/.cache
    assert cache_folder() is None
    shared.chmod(0o755)
    assert cache_folder() == shared
    monkeypatch.setattr(folder_module.os, "getuid", lambda: os.stat(shared).st_uid + 1)  # someone else's folder
    assert cache_folder() is None


def test_a_tables_file_another_user_could_have_written_is_not_read(chosen, tmp_path):
    set_cache_folder(tmp_path)
    fields = ("合同.签订日期",)
    built = build_parser(fields)
    [tables] = tmp_path.glob("parser-*.json")
    assert load_tables(tables, built.source_grammar) is not None
    tables.chmod(0o666)
    assert load_tables(tables, built.source_grammar) is None
    tables.chmod(0o600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    moved = elsewhere / tables.name
    tables.rename(moved)
    tables.symlink_to(moved)  # a link planted in our folder to a file we do not control
    assert load_tables(tables, built.source_grammar) is None
