"""Runs every scenario of every feature file in this folder (one per chapter of the measures)."""
from pathlib import Path

from pytest_bdd import scenarios

scenarios(str(Path(__file__).resolve().parent))
