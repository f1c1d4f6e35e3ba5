"""Runs every scenario of every feature file in this folder (one per chapter of the measures)."""
from pathlib import Path

from pytest_bdd import scenarios

# This folder's own files only: a fork's scenarios live in a subfolder with their own policy.
scenarios(*sorted(str(path) for path in Path(__file__).resolve().parent.glob("*.feature")))
