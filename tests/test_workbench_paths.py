"""Paths a hostile page or a hostile folder can name: the 规格场景 tab reads, saves, updates and runs
only this policy's own feature files, by the names its listing gives. Parent steps, absolute and
Windows-style paths, NUL, percent-encoding and another county's files are not names it gives; a
feature file that is a link out of the features folder (a fork's repository can carry one) is not
listed, read or written, while the file it points to stays as it was."""
from __future__ import annotations

import os
import shutil
from urllib.parse import quote

import pytest

from helpers import ROOT
from workbench_client import running_workbench

CHAPTER = "01_第一章_总则.feature"


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paths")
    features = folder / "features"
    features.mkdir()
    shutil.copy(ROOT / "features" / CHAPTER, features / CHAPTER)
    outside = folder / "同事的笔记.txt"  # stands for ~/.bashrc
    outside.write_text("秘密\n", encoding="utf-8")
    (features / "99_外链.feature").symlink_to(outside)
    (features / "98_内链.feature").symlink_to(features / CHAPTER)  # a link inside the folder is the file it names
    with running_workbench(folder, features=features) as running:
        running.outside = outside
        yield running


HOSTILE_NAMES = ["99_外链.feature", "../同事的笔记.txt", "../features/" + CHAPTER, "/etc/passwd", "..\\同事的笔记.txt",
                 "C:\\Windows\\win.ini", CHAPTER + "\x00.txt", quote(CHAPTER), "./" + CHAPTER, "南阳湖县_2025/x.feature"]


def test_a_link_out_of_the_folder_is_not_a_feature_file(workbench):
    status, listing = workbench.call("/api/scenarios")
    assert status == 200 and [entry["文件"] for entry in listing["文件"]] == [CHAPTER, "98_内链.feature"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_only_the_listed_names_are_read_saved_updated_or_run(workbench, name):
    status, answer = workbench.call(f"/api/scenarios/file?file={quote(name)}")
    assert status == 400 and "没有规格文件" in answer["error"]
    for path, body in (("/api/scenarios/save", {"file": name, "text": "功能: x\n", "version": "0", "force": True}),
                       ("/api/scenarios/update", {"file": name, "version": "0", "line": 1, "written": "秘密", "found": "改了"}),
                       ("/api/scenarios", {"file": name})):
        status, answer = workbench.call(path, body)
        assert status == 400 and "没有规格文件" in answer["error"], (path, answer)
    assert workbench.outside.read_text(encoding="utf-8") == "秘密\n"
    assert (workbench.outside.parent / "features" / "99_外链.feature").is_symlink()


def test_a_run_imports_no_conftest_from_above_the_features_folder(tmp_path):
    # pytest looks for conftest.py up to the root of the file system when the folder is outside the
    # checkout: `serve --features /tmp/x/features` ran a /tmp/x/conftest.py that anyone could leave.
    shared = tmp_path / "shared"
    features = shared / "features"
    shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("__pycache__", "jinxiang_2026", "南阳湖县_2025"))
    marker = tmp_path / "ran"
    (shared / "conftest.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    with running_workbench(tmp_path, features=features) as bench:
        status, run = bench.call("/api/scenarios", {"article": "第三十条"})
    assert status == 200 and run["失败"] == 0 and run["通过"] > 0
    assert not marker.exists()


def test_a_folder_whose_python_is_not_the_tools_own_is_not_run_from_the_page(tmp_path):
    # A fork's folder received from elsewhere: running its scenarios imports its conftest.py.
    features = tmp_path / "received" / "features"
    shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("__pycache__", "jinxiang_2026", "南阳湖县_2025"))
    marker = tmp_path / "ran"
    conftest = features / "conftest.py"
    conftest.write_text(conftest.read_text(encoding="utf-8") + f"\nopen({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    with running_workbench(tmp_path, features=features) as bench:
        status, refused = bench.call("/api/scenarios", {"article": "第三十条"})
    assert status == 422 and "本工具自带以外的 Python 文件：conftest.py" in refused["error"]
    assert "python3 -m pytest" in refused["error"] + refused.get("hint", "")
    assert not marker.exists()


def test_a_python_fifo_in_the_features_folder_is_refused_without_being_read(tmp_path):
    features = tmp_path / "features"
    shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("__pycache__", "jinxiang_2026", "南阳湖县_2025"))
    os.mkfifo(features / "helper.py")  # reading it would wait for a writer forever
    with running_workbench(tmp_path, features=features) as bench:
        status, refused = bench.call("/api/scenarios", {"article": "第三十条"})
    assert status == 422 and "helper.py" in refused["error"]
