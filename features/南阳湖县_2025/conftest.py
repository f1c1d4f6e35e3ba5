"""Scenarios in this folder specify the policy named like the folder: policies/<folder name>.rules.
A county copies this folder (this file and the test module) under its own policy's name."""
from pathlib import Path

import pytest

from engine.backend import Engine
from engine.policy import load_policy

HERE = Path(__file__).resolve().parent
POLICY = HERE.parents[1] / "policies" / f"{HERE.name}.rules"


@pytest.fixture(scope="session")
def policy(request):
    """This folder's policy, compiled for the run and closed when it ends. `--policy` names another
    copy of it (the workbench's file) only when that file has this folder's name."""
    option = request.config.getoption("--policy", default=None)
    path = Path(option) if option and Path(option).stem == HERE.name else POLICY
    compiled = load_policy(path, backend=Engine.DURABLE)
    yield compiled
    compiled.close()


@pytest.fixture
def base_project_file() -> Path:
    """This county's compliant project: dated after its own 施行日期 (2025-06-01)."""
    return HERE / "基准项目.yaml"
