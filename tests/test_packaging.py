"""The installed tool: a wheel built from the repository, installed into a fresh virtual
environment, runs `jinxiang-policy check` and `eval` from a folder outside the repository, on the
policy, vocabulary, holiday calendar and samples it carries as package data — and installs one
package, engine, with nothing named cli or grammar beside it.

Building the wheel fetches setuptools from the package index (a local mirror here): offline, skip
it with `-m "not packaging"`.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

pytestmark = pytest.mark.packaging

# What `pip install .` reads from a checkout: the build configuration, the package and its data folders.
SOURCES = ("pyproject.toml", "README.md", "cli.py", "engine", "grammar", "policies", "facts", "features")


def _run(args: list[str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    # Without the repository on PYTHONPATH, the virtual environment can only find the installed engine.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with the wheel installed; its own packages come from the system
    (--system-site-packages), so nothing but the build backend is downloaded."""
    scratch = tmp_path_factory.mktemp("packaging")
    source = scratch / "source"  # a copy, so the build leaves no build/ or egg-info in the checkout
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(scratch / "dist"), str(source)], scratch, 300)
    assert built.returncode == 0, built.stderr
    venv = scratch / "venv"
    created = _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], scratch)
    assert created.returncode == 0, created.stderr
    wheel, = (scratch / "dist").glob("jinxiang_policy-*.whl")
    python = venv / "bin" / "python"
    done = _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], scratch)
    assert done.returncode == 0, done.stderr
    return venv


def _site_packages(venv: Path) -> Path:
    return next(venv.glob("lib/python*/site-packages"))


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def test_one_package_is_installed_with_nothing_named_cli_or_grammar(installed):
    names = {path.name for path in _site_packages(installed).iterdir()}
    assert "engine" in names
    assert not names & {"cli.py", "cli", "grammar", "policies", "facts", "features"}, names


# Each folder the tool reads at run time, in the repository → where the wheel puts it in the package.
DATA_FOLDERS = {"grammar": "engine/_data/grammar", "policies": "engine/_data/policies", "facts": "engine/_data/facts",
                "features": "engine/_data/features", "engine/workbench/static": "engine/workbench/static",
                "engine/templates": "engine/templates"}


@pytest.mark.parametrize("folder", DATA_FOLDERS)
def test_every_data_file_is_installed(installed, folder):
    """A file added to a data folder with a new suffix or in a new subfolder is not lost to a glob."""
    assert _files(_site_packages(installed) / DATA_FOLDERS[folder]) == _files(ROOT / folder)


def test_the_installed_command_checks_and_evaluates_outside_the_repository(installed, tmp_path):
    tool = installed / "bin" / "jinxiang-policy"
    checked = _run([str(tool), "check"], tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("检查通过：") and "site-packages" in checked.stdout and "，46 条，89 条规则。" in checked.stdout
    where = _run([str(installed / "bin" / "python"), "-c", "from engine.package_data import SAMPLES; print(SAMPLES)"], tmp_path)
    samples = Path(where.stdout.strip())
    assert samples.is_relative_to(_site_packages(installed)), samples  # the installed data, not the checkout's
    evaluated = _run([str(tool), "eval", str(samples / "应急指挥调度系统.yaml"), "--format", "json"], tmp_path)
    assert evaluated.returncode == 1, evaluated.stderr  # the sample has violations
    report = json.loads(evaluated.stdout)
    assert report["项目编号"] == "JX-2025-013" and report["结论"] == "不合规"
    assert any(f["规则"] == "28.2" for f in report["发现"])  # a working-day deadline: the holiday calendar was found
