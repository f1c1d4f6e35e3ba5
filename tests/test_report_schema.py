"""The report's JSON Schema (docs/report.schema.json): it matches the typed Report key for key, and
what `cli.py eval --format json` prints validates against it — one file, a folder, a revision's
versioned findings, and files that could not be used."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import fields

import jsonschema
import pytest

from engine.findings import KIND_ORDER
from engine.report import Report, ReportFinding
from helpers import AS_OF, ROOT, SAMPLES

SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
CLI = [sys.executable, str(ROOT / "cli.py")]

FULL_FINDING = ReportFinding(28, "第二十八条", "28.2", "待办", "应签订合同", "10 个工作日内签订", {"截止日期": "2025-04-24"},
                             None, ("合同.签订日期",), "policies/jinxiang_2024.rules:620-626", 2, "读法", "版本")
BARE_FINDING = ReportFinding(28, "第二十八条", "28.2", "待办", "应签订合同", "10 个工作日内签订", {}, None, (),
                             "policies/jinxiang_2024.rules:620-626")


def _eval_json(*args: str, cwd=ROOT):
    result = subprocess.run([*CLI, "eval", "--format", "json", *args], capture_output=True, text=True, cwd=cwd,
                            encoding="utf-8")
    return result.returncode, json.loads(result.stdout)


def _errors(instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(instance)]


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_has_the_keys_of_the_typed_report_in_its_order():
    finding = SCHEMA["$defs"]["发现"]
    assert list(finding["properties"]) == list(FULL_FINDING.to_json())
    assert finding["required"] == list(BARE_FINDING.to_json())
    assert len(finding["properties"]) == len(fields(ReportFinding))
    report = SCHEMA["$defs"]["报告"]
    shown = Report("办法", "文号", AS_OF, "X", "名", "a.yaml", "合规").to_json()
    assert list(report["properties"]) == report["required"] == list(shown)
    assert finding["properties"]["类别"]["enum"] == list(KIND_ORDER)


def _without_source(report: dict) -> None:
    del report["发现"][0]["出处"]


def _with_an_unknown_key(report: dict) -> None:
    report["发现"][1]["未知"] = 1


def _with_an_impossible_date(report: dict) -> None:
    report["评估日期"] = "2026-13-40"


def _with_an_unknown_kind(report: dict) -> None:
    report["发现"][0]["类别"] = "违法"


@pytest.mark.parametrize("spoil", [_without_source, _with_an_unknown_key, _with_an_impossible_date, _with_an_unknown_kind])
def test_a_report_that_departs_from_the_contract_is_refused(spoil):
    report = Report("办法", "文号", AS_OF, "X", "名", "a.yaml", "信息不全", (FULL_FINDING, BARE_FINDING)).to_json()
    assert _errors(report) == []
    spoil(report)
    assert _errors(report) != []


def test_one_file_is_one_report_that_reads_back_as_the_typed_report():
    status, report = _eval_json(str(SAMPLES / "应急指挥调度系统.yaml"))
    assert status == 1 and isinstance(report, dict)
    assert _errors(report) == []
    assert Report.from_json(report).to_json() == report


def test_a_folder_is_an_array_of_reports_with_per_record_findings():
    status, reports = _eval_json(str(SAMPLES))
    assert status == 1 and isinstance(reports, list) and len(reports) == 11
    assert _errors(reports) == []
    assert any("项" in f for r in reports for f in r["发现"])  # the optional keys are exercised too
    assert [Report.from_json(r).to_json() for r in reports] == reports


def test_a_revisions_findings_carry_their_version():
    status, reports = _eval_json(str(SAMPLES), "--policy", "policies/jinxiang_2026.rules", "--as-of", "2027-06-01")
    assert status == 1 and _errors(reports) == []
    assert any("版本" in f for r in reports for f in r["发现"])


@pytest.fixture
def bad_folder(tmp_path):
    (tmp_path / "好.yaml").write_text((SAMPLES / "应急指挥调度系统.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "坏.yaml").write_text("项目:\n  编号: [1\n", encoding="utf-8")
    (tmp_path / "缺.yaml").write_text("项目:\n  名称: 没有编号\n", encoding="utf-8")
    return tmp_path


def test_an_unusable_file_alone_is_its_located_error(bad_folder):
    status, output = _eval_json("坏.yaml", cwd=bad_folder)
    assert status == 2 and _errors(output) == []
    assert output["文件"] == "坏.yaml" and output["错误"][0]["代码"].startswith("E3")


def test_a_folder_with_unusable_files_keeps_every_files_place(bad_folder):
    status, output = _eval_json(".", cwd=bad_folder)
    assert status == 2 and _errors(output) == []
    assert [("错误" in item, item["文件"]) for item in output] == [(True, "坏.yaml"), (False, "好.yaml"), (True, "缺.yaml")]
