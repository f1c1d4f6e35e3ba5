"""Runs the fork's own scenarios against the fork."""
from pathlib import Path

from pytest_bdd import scenarios

scenarios(*sorted(str(path) for path in Path(__file__).resolve().parent.glob("*.feature")))
