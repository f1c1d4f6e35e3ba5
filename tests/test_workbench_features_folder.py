"""A policy copy served with no features/ beside it: the 规格场景 tab shows the tool's bundled
scenarios read-only (a save or a one-click update is refused in Chinese and the bundled file is
untouched), and one request copies them beside the policy, after which edits and runs use the copy."""
from __future__ import annotations

import shutil
from urllib.parse import quote

from helpers import ROOT
from workbench_client import running_workbench

from engine.package_data import FEATURES
from engine.workbench.features_folder import features_folder

CHAPTER = "05_第五章_采购和合同管理.feature"
TODO_LINE = 146  # 「合同尚未签订、期限未到时为待办，并给出截止日期」


def test_which_folder_a_policy_gets(tmp_path):
    copy = tmp_path / "jinxiang_2024.rules"
    assert features_folder(copy) == features_folder(copy, None)
    assert (features_folder(copy).path, features_folder(copy).writable) == (FEATURES, False)
    assert features_folder(ROOT / "policies" / "jinxiang_2024.rules").writable  # the tool's own policy: its own scenarios
    assert features_folder(copy, tmp_path / "elsewhere").writable  # serve --features
    (tmp_path / "features").mkdir()
    assert (features_folder(copy).path, features_folder(copy).writable) == (tmp_path / "features", True)


def test_bundled_scenarios_are_read_only_until_copied_beside_the_policy(tmp_path):
    bundled = (FEATURES / CHAPTER).read_text(encoding="utf-8")
    with running_workbench(tmp_path) as workbench:
        status, listing = workbench.call("/api/scenarios")
        assert status == 200 and listing["可写"] is False and listing["文件夹"] == str(FEATURES.resolve())
        assert listing["复制到"] == str(tmp_path / "features")
        assert "只读" in listing["只读说明"] and "复制到政策文件旁" in listing["只读说明"]
        _, read = workbench.call(f"/api/scenarios/file?file={quote(CHAPTER)}")
        status, refused = workbench.call("/api/scenarios/save", {"file": CHAPTER, "text": read["文本"] + "\n", "version": read["版本"]})
        assert status == 422 and "本工具随附的规格文件" in refused["error"] and "复制到政策文件旁" in refused["error"]
        status, refused = workbench.call("/api/scenarios/update", {"file": CHAPTER, "version": read["版本"], "line": 149,
                                                                   "written": "2026-12-04", "found": "2026-12-05"})
        assert status == 422 and "没有保存任何改动" in refused["error"]
        assert (FEATURES / CHAPTER).read_text(encoding="utf-8") == bundled

        status, copied = workbench.call("/api/scenarios/copy", {})
        assert status == 200 and copied["可写"] is True and copied["文件夹"] == str((tmp_path / "features").resolve())
        assert [e["文件"] for e in copied["文件"]] == [e["文件"] for e in listing["文件"]]  # this policy's chapters, no county's
        assert sorted(p.name for p in (tmp_path / "features").iterdir() if p.is_dir()) == []
        assert (tmp_path / "features" / "conftest.py").is_file() and (tmp_path / "features" / "基准项目.yaml").is_file()
        edited = read["文本"].replace("截止日期为 2026-12-04", "截止日期为 2026-12-01")
        status, saved = workbench.call("/api/scenarios/save", {"file": CHAPTER, "text": edited, "version": read["版本"]})
        assert status == 200 and (tmp_path / "features" / CHAPTER).read_text(encoding="utf-8") == edited
        assert (FEATURES / CHAPTER).read_text(encoding="utf-8") == bundled
        # The copy runs on its own: the edited expectation fails there, and only there.
        status, run = workbench.call("/api/scenarios", {"file": CHAPTER, "line": TODO_LINE})
        assert status == 200 and run["失败"] == 1 and run["场景"][0]["失败"]["实际"] == "2026-12-04", run
        assert workbench.call("/api/scenarios/copy", {})[1]["文件夹"] == copied["文件夹"]  # a second click changes nothing


def test_a_countys_copy_takes_its_own_folder_and_the_step_library(tmp_path):
    policy = tmp_path / "南阳湖县_2025.rules"
    for name in ("南阳湖县_2025.rules", "南阳湖县_词汇.yaml", "jinxiang_2024.rules", "jinxiang_2024.source.txt"):
        shutil.copy(ROOT / "policies" / name, tmp_path / name)
    with running_workbench(tmp_path, policy) as workbench:
        status, copied = workbench.call("/api/scenarios/copy", {})
    assert status == 200 and [e["文件"] for e in copied["文件"]] == ["南阳湖县_2025/南阳湖县的改动.feature"]
    assert not list((tmp_path / "features").glob("*.feature"))  # Jinxiang's chapters are not this policy's
    assert (tmp_path / "features" / "conftest.py").is_file()
