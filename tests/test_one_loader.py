"""One loader: a policy and everything it is built from (bases, a revision's previous version,
vocabulary extensions) are read once per compile, through engine/policy_files.py."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from engine import plain_data, policy_files
from engine.backend import Engine
from engine.policy import load_policy
from helpers import ROOT

REVISION = """修订 “南阳湖县_2025.rules”

名称 “南阳湖县政务信息化项目建设管理办法”
文号 “南政字〔2027〕1号”
施行日期 2027-01-01

参数
  【重大项目金额】 = 900万元
"""


def _spy_reads(monkeypatch) -> Counter:
    reads: Counter = Counter()
    read_policy, read_data = policy_files._read, plain_data.read_data_text

    def policy_read(path, limit):
        reads[Path(path).name] += 1
        return read_policy(path, limit)

    def data_read(path, *args, **kwargs):
        reads[Path(path).name] += 1
        return read_data(path, *args, **kwargs)

    monkeypatch.setattr(policy_files, "_read", policy_read)
    monkeypatch.setattr(policy_files, "read_data_text", data_read)
    return reads


def test_a_revision_of_a_fork_reads_each_of_its_files_once(tmp_path, monkeypatch):
    for name in ("jinxiang_2024.rules", "jinxiang_2024.source.txt", "南阳湖县_2025.rules", "南阳湖县_词汇.yaml"):
        shutil.copy(ROOT / "policies" / name, tmp_path / name)
    (tmp_path / "南阳湖县_2027.rules").write_text(REVISION, encoding="utf-8")
    reads = _spy_reads(monkeypatch)
    compiled = load_policy(tmp_path / "南阳湖县_2027.rules", backend=Engine.REFERENCE)
    assert reads == {"南阳湖县_2027.rules": 1, "南阳湖县_2025.rules": 1, "jinxiang_2024.rules": 1, "南阳湖县_词汇.yaml": 1}
    assert {rule.version.split("（")[0] for rule in compiled.ir.rules} >= {"南政字〔2027〕1号"}


def test_a_base_with_a_byte_order_mark_is_read_like_the_policy(tmp_path):
    text = (ROOT / "policies" / "jinxiang_2024.rules").read_text(encoding="utf-8")
    (tmp_path / "jinxiang_2024.rules").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    shutil.copy(ROOT / "policies" / "jinxiang_2024.source.txt", tmp_path / "jinxiang_2024.source.txt")
    fork = (ROOT / "policies" / "南阳湖县_2025.rules").read_text(encoding="utf-8")
    (tmp_path / "南阳湖县_2025.rules").write_text(fork, encoding="utf-8")
    shutil.copy(ROOT / "policies" / "南阳湖县_词汇.yaml", tmp_path / "南阳湖县_词汇.yaml")
    with_mark = load_policy(tmp_path / "南阳湖县_2025.rules", backend=Engine.REFERENCE)
    plain = load_policy(ROOT / "policies" / "南阳湖县_2025.rules", backend=Engine.REFERENCE)
    assert [r.rule_id for r in with_mark.ir.rules] == [r.rule_id for r in plain.ir.rules]
    from engine.register.policies import policy_sources
    _, sources = policy_sources(tmp_path / "南阳湖县_2025.rules")
    assert not sources["jinxiang_2024.rules"].startswith("\ufeff")  # the register stores what the loader read
