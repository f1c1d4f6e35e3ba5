"""The boundary between a checked policy (engine.ir) and whatever evaluates it.

A backend is built from one ir.Policy and answers, for a batch of projects' values, which rules
fired and how (firings); findings are built from firings afterwards (engine/findings.py), the same
whichever backend produced them. Two implement it: the durable-rules backend
(engine/durable_backend.py, the product's) and the reference evaluator (engine/reference.py, the
oracle the first is tested against). Neither imports the other.

Which backend evaluates is always chosen by the caller, with `Engine`; a closed backend refuses
to evaluate instead of quietly handing the work to another.
"""
from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Protocol

from . import messages
from .errors import ToolError

if TYPE_CHECKING:
    from .valuation import ProjectValues

# (rule id, variant, record index or None); variant 无法判定 when the rule could not decide
Firing = tuple[str, str, "int | None"]


class Engine(enum.Enum):
    """The backends a policy can be evaluated with."""

    DURABLE = "durable-rules"  # the product's: the policy registered as a durable-rules ruleset
    REFERENCE = "reference"  # the IR's meaning in plain Python, to test the other against


class Backend(Protocol):
    """What the façade (engine/policy.py) asks of an evaluator of one policy."""

    engine: Engine

    def evaluate_many(self, projects: list[ProjectValues]) -> list[list[Firing] | ToolError]:
        """Firings per project, in order; a project the backend failed on gets its error in its place."""
        ...

    def close(self) -> None:
        """Release what the backend holds (a registered ruleset); it evaluates nothing afterwards."""
        ...


class BackendClosed(ToolError):
    """A policy was evaluated after it was closed (a reloaded policy's old copy, a finished test)."""

    code = "E901"

    def __init__(self, engine: Engine) -> None:
        super().__init__(messages.BACKEND_CLOSED.format(engine=engine.value))
