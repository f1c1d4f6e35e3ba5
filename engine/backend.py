"""The boundary between a checked policy (engine.ir) and whatever evaluates it.

A backend is built from one ir.Policy and answers, for a batch of projects' values, which rules
fired and how (firings); findings are built from firings afterwards (engine/findings.py), the same
whichever backend produced them. Two implement it: the durable-rules backend
(engine/durable_backend.py, the product's) and the reference evaluator (engine/reference.py, the
oracle the first is tested against). Neither imports the other.

Which backend evaluates is always chosen by the caller, with `Engine`; a closed backend refuses
to evaluate instead of quietly handing the work to another.

Besides firings, an evaluation can be recorded (`RuleRecord`, one per rule and record checked):
whether each rule applied, which of its outcomes held, which were unknown, and why a rule that
applied said nothing. `explain` reads this record; it never decides a condition itself.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from . import language, messages
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


class BackendsDisagree(ToolError):
    """The policy's backend and the reference evaluator fired different rules for one project."""

    code = "E902"

    def __init__(self, engine: Engine) -> None:
        super().__init__(messages.BACKENDS_DISAGREE.format(engine=engine.value))


@dataclass(frozen=True, slots=True)
class RuleRecord:
    """What one evaluation found about one rule for one project (or one record of a record list).

    applies: the rule's guard and scope (True, False, or None when unknown); when it is not True
    the rest is empty. outcomes: (variant, True / False / None) for each outcome, in order.
    undecided: the rule reported 无法判定. exempted_by: the exception (若 … 则 例外) that held, if
    any. pre_effective: the conduct the rule judges predates the 施行日期 (第四十六条)."""

    rule_id: str
    item: int | None
    applies: bool | None
    outcomes: tuple[tuple[str, bool | None], ...] = ()
    undecided: bool = False
    exempted_by: str | None = None
    pre_effective: bool = False

    @property
    def fired(self) -> tuple[str, ...]:
        return tuple(variant for variant, holds in self.outcomes if holds is True)

    @property
    def unknown(self) -> bool:
        """Some outcome could not be decided from the facts."""
        return any(holds is None for _, holds in self.outcomes)

    def firings(self) -> list[Firing]:
        """The firings this record stands for: what a backend reports for the same rule and record."""
        found = [(self.rule_id, variant, self.item) for variant in self.fired]
        return found + [(self.rule_id, language.UNDECIDED, self.item)] if self.undecided else found
