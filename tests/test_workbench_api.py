"""The workbench's JSON API without a browser: the same messages as `check`, atomic saves that
refuse stale or broken text, and a server that answers bad requests with a message and keeps serving."""
from __future__ import annotations

import pytest

from engine.report import Report
from engine.workbench.server import version_of
from workbench_client import running_workbench


@pytest.fixture
def server(tmp_path):
    with running_workbench(tmp_path) as workbench:
        yield workbench.url, workbench.policy, workbench.call


def test_binds_to_loopback_only(server):
    url, _, _ = server
    assert url.startswith("http://127.0.0.1:")


def test_check_gives_the_same_message_as_the_cli(server):
    url, policy, call = server
    text = policy.read_text(encoding="utf-8").replace("若 合同.质保期 低于", "若 合同.质保其 低于")
    status, data = call("/api/check", {"text": text})
    assert status == 200 and data["ok"] is False
    error = data["errors"][0]
    assert (error["code"], error["article"], error["column"]) == ("E140", "第三十条", 5)
    assert error["rendered"].splitlines()[0].endswith("错误[E140]: 事实词汇表中没有字段「合同.质保其」")


def test_save_refuses_broken_text_unless_forced_and_writes_atomically(server):
    url, policy, call = server
    original = policy.read_text(encoding="utf-8")
    broken = original.replace("若 合同.质保期 低于", "若 合同.质保其 低于")
    status, data = call("/api/save", {"text": broken, "version": version_of(original)})
    assert status == 422 and data["error"] == "修改后的政策文件不能编译，没有保存。"
    assert policy.read_text(encoding="utf-8") == original
    status, data = call("/api/save", {"text": broken, "version": version_of(original), "force": True})
    assert status == 200 and (data["version"], data["compiled"]) == (version_of(broken), False)
    assert policy.read_text(encoding="utf-8") == broken
    assert not list(policy.parent.glob(".*.tmp"))
    status, data = call("/api/evaluate", {"sample": "智慧城管综合平台"})  # still evaluates with the last good policy
    assert status == 200 and data["结论"] == "合规"
    # ... and says so in every answer, until a version that compiles is saved
    in_use = data["政策文件"]
    assert (in_use["版本"], in_use["能编译"], in_use["评估所用"]["版本"]) == (version_of(broken), False, version_of(original))
    assert "E140" in in_use["错误"]
    status, data = call("/api/save", {"text": original, "version": version_of(broken)})
    assert status == 200 and data["政策文件"]["能编译"] and data["政策文件"]["评估所用"]["版本"] == version_of(original)


def test_save_refuses_a_stale_version(server):
    url, policy, call = server
    original = policy.read_text(encoding="utf-8")
    policy.write_text(original + "\n# 别处的修改\n", encoding="utf-8")
    status, data = call("/api/save", {"text": original + "\n# 这里的修改\n", "version": version_of(original)})
    assert status == 409 and "已在别处被修改" in data["error"]
    assert policy.read_text(encoding="utf-8").endswith("# 别处的修改\n")


def test_bad_requests_get_messages_and_the_server_keeps_serving(server):
    url, _, call = server
    assert call("/api/check", raw=b"not json")[0] == 400
    status, data = call("/api/evaluate", {"facts_text": "项目: [1\n"})
    assert status == 422 and "错误[E304]" in data["error"]
    status, data = call("/api/evaluate", {"fields": {"项目.编号": "X", "项目.名称": "n", "项目.建设单位": "u", "项目.涉秘": "否"}})
    assert status == 422 and "「项目.涉秘」无法识别的键" in data["error"]
    assert call("/api/nothing", {})[0] == 404
    assert call("/static/../server.py")[0] == 404
    assert call("/api/articles")[0] == 200


def test_report_escapes_what_it_renders(server, tmp_path, policy):
    from engine.report_html import printable_report
    from engine.staff_labels import staff_labels
    report = Report.from_json({"办法": "<b>办法</b>", "文号": "文号", "评估日期": "2026-11-27", "项目编号": "<script>x</script>",
                               "项目名称": "&", "文件": "a.yaml", "结论": "不合规", "发现": [{
                                   "条": 28, "条号": "第二十八条", "规则": "28.1", "类别": "违规", "摘要": "<i>摘要</i>",
                                   "原文": "<原文>", "依据": {"<k>": "<v>"}, "截止日期": None, "缺少": ["<缺>"],
                                   "出处": "p.rules:1-2", "释义": "<释义>"}]})
    page = printable_report(report, staff_labels(policy), "<u>单位</u>")
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    for raw in ("<b>", "<i>", "<原文>", "<k>", "<v>", "<缺>", "<释义>", "<u>"):
        assert raw not in page, raw


def test_meta_gives_the_language_and_the_policy_s_names(server):
    """/api/meta: every word the grammar accepts, the finding kinds in report order with their page
    style, units, types, article-number forms, and the policy's own fields and parameters."""
    from engine import language
    from engine.parser import grammar_keyword_groups as keyword_groups

    _, _, call = server
    status, meta = call("/api/meta")
    assert status == 200
    grammar_words = {word for words in keyword_groups().values() for word in words}
    assert {k["词"] for k in meta["关键词"]} == grammar_words
    assert {name: set(words) for name, words in meta["关键词组"].items()} == {n: set(w) for n, w in keyword_groups().items()}
    assert set(meta["关键词组作用"]) == set(meta["关键词组"])
    assert [k["类别"] for k in meta["类别"]] == list(language.KIND_ORDER)
    assert {k["类别"] for k in meta["类别"] if k["违规"]} == language.BREACH_KINDS == {"违规", "后果"}
    assert {k["类别"] for k in meta["类别"] if not k["可写"]} == {"无法判定"}
    assert len({k["样式"] for k in meta["类别"]}) == len(language.FINDING_KINDS)
    assert {"单位": "万元", "计量": "金额", "基本单位": "元", "倍数": 10000} in meta["单位"]
    assert {u["单位"] for u in meta["单位"]} == set(keyword_groups()["UNIT"])
    low = next(k for k in meta["比较词"] if k["词"] == "低于")
    assert low["反义"] == "不低于" and "小于" in low["常见写法"]
    assert any(t["类型"] == "期限" and t["可比较"] for t in meta["类型"])
    assert meta["条号"]["最大条号"] == 9999 and meta["条号"]["数字"].endswith("十百千")
    assert any(f["字段"] == "合同.签订日期" and f["类型"] == "日期" for f in meta["字段"])
    assert any(p["参数"] == "重大项目金额" and p["取值"] for p in meta["参数"])


def test_serve_uses_the_feature_files_beside_a_policy_copy_and_says_which(tmp_path, monkeypatch):
    """A staffer's copy of the policy is served with the scenarios beside it (features/ next to the
    file), never silently with the tool's own feature files; the listing names the folder."""
    import shutil  # noqa: PLC0415

    from click.testing import CliRunner  # noqa: PLC0415

    import engine.workbench.server as server_module  # noqa: PLC0415
    from engine import cli  # noqa: PLC0415
    from engine.package_data import FEATURES, POLICIES  # noqa: PLC0415

    policy = tmp_path / "jinxiang_2024.rules"
    shutil.copy(POLICIES / "jinxiang_2024.rules", policy)
    (tmp_path / "features").mkdir()
    shutil.copy(FEATURES / "05_第五章_采购和合同管理.feature", tmp_path / "features")
    started = {}

    def not_started(policy_path, port, **kwargs):
        started.update(kwargs)
        raise OSError(98, "测试：不真的启动")
    monkeypatch.setattr(server_module, "make_server", not_started)
    CliRunner().invoke(cli.cli, ["serve", "--policy", str(policy)])
    assert started["features"] == (tmp_path / "features").resolve()
    CliRunner().invoke(cli.cli, ["serve"])
    assert started["features"] is None  # the tool's own policy: the tool's own features/
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    refused = subprocess.run([sys.executable, str(POLICIES.parent / "cli.py"), "serve", "--features", str(tmp_path / "没有")],
                             capture_output=True, text=True, encoding="utf-8", cwd=tmp_path)
    assert refused.returncode == 2 and "没有规格文件夹" in refused.stderr and "Traceback" not in refused.stderr
    monkeypatch.undo()

    server = server_module.make_server(policy, 0, features=tmp_path / "features")
    try:
        listing = server.workbench.scenarios.listing()
    finally:
        server.server_close()
        server.workbench.close()
    assert listing["文件夹"] == str((tmp_path / "features").resolve())
    assert [entry["文件"] for entry in listing["文件"]] == ["05_第五章_采购和合同管理.feature"]
