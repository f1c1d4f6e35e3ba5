"""Runs the scenarios in this folder against the policy named like the folder (see conftest.py)."""
from pathlib import Path

from pytest_bdd import scenarios

scenarios(*sorted(str(path) for path in Path(__file__).resolve().parent.glob("*.feature")))
