"""The scenarios in this folder specify the example fork policies/南阳湖县_2025.rules."""
from pathlib import Path

import pytest

from engine.policy import load_policy

FORK = Path(__file__).resolve().parents[2] / "policies" / "南阳湖县_2025.rules"


@pytest.fixture(scope="session")
def policy():
    return load_policy(FORK)
