"""The facts cache gives what load_facts gives, file by file, cold or warm; it never answers from
an entry that does not check out, never remembers a wrong file, and a cache it cannot use costs
only speed."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest
import yaml

from generators import generate_project
from helpers import AS_OF, ROOT, SAMPLES
from engine import cache_pruning
from engine.batch import evaluate_files
from engine.facts import load_facts, nest
from engine.facts_cache import FactsCache
from engine.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary()


def typed(facts):
    return ([(k, type(v), repr(sorted(v, key=str)) if isinstance(v, frozenset) else repr(v)) for k, v in facts.values.items()],
            [(k, repr(v)) for k, v in facts.records.items()], facts.file)


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "项目"
    folder.mkdir()
    paths = []
    for seed in range(12):
        flat, as_of = generate_project(seed)
        data = nest(flat)
        data["评估日期"] = as_of.isoformat()
        suffix = ".json" if seed % 3 == 0 else ".yaml"
        text = json.dumps(data, ensure_ascii=False) if suffix == ".json" else yaml.safe_dump(data, allow_unicode=True)
        path = folder / f"项目{seed}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    paths += sorted(SAMPLES.glob("*.yaml"))
    (folder / "坏.yaml").write_text("项目:\n  编号: X\n  名称: n\n  建设单位: u\n合同:\n  签订日期: 2025-02-30\n", encoding="utf-8")
    (folder / "乱码.yaml").write_bytes(b"\xff\xfe\x00")
    return paths + [folder / "坏.yaml", folder / "乱码.yaml", folder / "不存在.yaml"]


def loaded(paths):
    results = []
    for path in paths:
        try:
            results.append(typed(load_facts(path, VOCABULARY, path.name)))
        except Exception as error:  # noqa: BLE001
            results.append((type(error), str(error)))
    return results


def through(cache, paths):
    return [(type(r), str(r)) if isinstance(r, Exception) else typed(r) for r in cache.load_many(paths, [p.name for p in paths])]


def entries(cache) -> int:
    with sqlite3.connect(cache.database) as connection:
        return connection.execute("SELECT count(*) FROM facts").fetchone()[0]


def test_cold_and_warm_give_what_load_facts_gives(tmp_path, files):
    cache = FactsCache(tmp_path / "cache", VOCABULARY)
    expected = loaded(files)
    assert through(cache, files) == expected
    assert entries(cache) == len(files) - 3  # the wrong, undecodable and missing files are not remembered
    again = FactsCache(tmp_path / "cache", VOCABULARY)
    assert through(again, files) == expected


def test_an_entry_that_does_not_check_out_is_ignored_and_written_anew(tmp_path, files):
    cache = FactsCache(tmp_path / "cache", VOCABULARY)
    expected = loaded(files)
    through(cache, files)
    with sqlite3.connect(cache.database) as connection:
        rows = connection.execute("SELECT key, entry FROM facts").fetchall()
        forged = [(entry.replace(b"2025", b"2026"), key) for key, entry in rows[0::3]]  # the checksum no longer holds
        swapped = [(rows[1][1], rows[2][0])]  # another file's entry under this key
        connection.executemany("UPDATE facts SET entry = ? WHERE key = ?", forged + swapped)
    assert through(FactsCache(tmp_path / "cache", VOCABULARY), files) == expected
    with sqlite3.connect(cache.database) as connection:
        assert dict(connection.execute("SELECT key, entry FROM facts").fetchall()) == dict(rows)


def test_a_cache_that_cannot_be_used_costs_only_speed(tmp_path, files):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    assert through(FactsCache(blocked, VOCABULARY), files) == loaded(files)
    garbage = FactsCache(tmp_path / "cache", VOCABULARY)
    garbage.database.parent.mkdir()
    garbage.database.write_bytes(b"not a database" * 100)
    assert through(garbage, files) == loaded(files)


def test_a_database_another_user_could_have_written_is_not_opened(tmp_path, files):
    cache = FactsCache(tmp_path / "cache", VOCABULARY)
    expected = loaded(files)
    through(cache, files)
    with sqlite3.connect(cache.database) as connection:  # a planted entry: its checksum holds, its facts lie
        key, entry = connection.execute("SELECT key, entry FROM facts").fetchone()
        checksum, _, payload = entry.partition(b"\n")
        lie = payload.replace(b'["d","2025-', b'["d","2019-')
        assert lie != payload
        connection.execute("UPDATE facts SET entry = ? WHERE key = ?", (hashlib.sha256(lie).hexdigest().encode() + b"\n" + lie, key))
    assert through(FactsCache(tmp_path / "cache", VOCABULARY), files) != expected  # a checksum alone does not tell
    cache.database.chmod(0o666)  # but only a file that is ours alone is opened
    assert through(FactsCache(tmp_path / "cache", VOCABULARY), files) == expected


def test_another_vocabulary_reads_from_another_database(tmp_path):
    from engine.vocabulary import Vocabulary
    other = Vocabulary(VOCABULARY.source, VOCABULARY.tree[:-1], VOCABULARY.fields)
    assert FactsCache(tmp_path, other).database != FactsCache(tmp_path, VOCABULARY).database


def test_portfolio_with_two_workers_is_the_same_with_and_without_the_cache(policy, tmp_path, files):
    def run(cache_folder):
        return [r.to_json() for r in evaluate_files(policy, files, AS_OF, 2, cache_folder)]
    without = run(None)
    assert run(tmp_path / "cache") == without  # cold: both workers write the same database
    assert run(tmp_path / "cache") == without  # warm


def test_cli_output_is_byte_identical_with_a_warm_cache(tmp_path):
    command = [sys.executable, str(ROOT / "cli.py"), "eval", str(SAMPLES), "--format", "json", "--as-of", AS_OF.isoformat()]
    plain = subprocess.run([*command, "--no-cache"], cwd=ROOT, capture_output=True)
    for _ in range(2):
        cached = subprocess.run([*command, "--cache", str(tmp_path / "cache")], cwd=ROOT, capture_output=True)
        assert (cached.returncode, cached.stdout, cached.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    assert list((tmp_path / "cache").glob("facts-*.sqlite3"))


def another_version(folder, name="facts-00000000000000000000", hours_ago=2.0):
    """A database of another version with its WAL files, last used `hours_ago`."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"{name}.sqlite3", folder / f"{name}.sqlite3-wal", folder / f"{name}.sqlite3-shm"]
    for path in files:
        path.write_bytes(b"old")
        stamp = time.time() - hours_ago * 3600
        os.utime(path, (stamp, stamp))
    return files


@pytest.fixture
def prune_again(monkeypatch):
    """Each FactsCache below prunes as the first one in a process would."""
    monkeypatch.setattr(cache_pruning, "_pruned", set())


def test_databases_of_other_versions_are_deleted_when_no_process_uses_them(tmp_path, files, prune_again):
    folder = tmp_path / "cache"
    unused, recent, held = another_version(folder), another_version(folder, "facts-11111111111111111111", 0.2), \
        another_version(folder, "facts-22222222222222222222")
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
                               "fcntl.flock(f, fcntl.LOCK_SH); print('held', flush=True); time.sleep(60)",
                               str(cache_pruning.lock_path(held[2]))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        for path in held:  # the holder's open() touched nothing, the database is still old
            os.utime(path, (time.time() - 7200, time.time() - 7200))
        os.utime(cache_pruning.lock_path(held[2]), (time.time() - 7200, time.time() - 7200))
        cache = FactsCache(folder, VOCABULARY)
        assert through(cache, files) == loaded(files)
    finally:
        holder.kill()
        holder.wait()
    assert not any(path.exists() for path in unused) and not cache_pruning.lock_path(unused[2]).exists()
    assert all(path.exists() for path in recent + held)  # used within the hour; in use by another process
    assert cache.database.exists() and cache_pruning.lock_path(cache.database).exists()


def test_a_database_in_use_here_is_kept_and_deleted_once_let_go(tmp_path, files, prune_again):
    folder, other_version = tmp_path / "cache", tmp_path / "cache" / "facts-99999999999999999999.sqlite3"

    def all_old():
        for path in folder.iterdir():
            os.utime(path, (time.time() - 7200, time.time() - 7200))
    cache = FactsCache(folder, VOCABULARY)
    through(cache, files)
    database = cache.database
    all_old()
    cache_pruning._pruned.clear()
    assert cache_pruning.prune_other_versions(folder, keep=other_version) == [] and database.exists()
    cache.close()  # lets its database go
    all_old()
    cache_pruning._pruned.clear()
    assert cache_pruning.prune_other_versions(folder, keep=other_version) == [database]
    assert list(folder.iterdir()) == []


def test_a_lock_file_planted_as_a_link_is_not_followed(tmp_path, files, prune_again):
    folder, elsewhere = tmp_path / "cache", tmp_path / "elsewhere.txt"
    elsewhere.write_text("not the cache's", encoding="utf-8")
    stamp = time.time() - 7200
    os.utime(elsewhere, (stamp, stamp))
    old = another_version(folder)
    cache_pruning.lock_path(old[2]).symlink_to(elsewhere)
    cache = FactsCache(folder, VOCABULARY)
    cache_pruning.lock_path(cache.database).symlink_to(tmp_path / "made-through-a-link")
    assert through(cache, files) == loaded(files)  # no lock, no pruning: only speed is lost
    assert elsewhere.read_text(encoding="utf-8") == "not the cache's" and elsewhere.stat().st_mtime == stamp
    assert not (tmp_path / "made-through-a-link").exists()
