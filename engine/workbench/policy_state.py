"""The policy the workbench answers from: compiled from the file as it is on disk now.

Every request first compares the file's fingerprint (a hash of its text, not its mtime: `git checkout`
and some editors keep the mtime, a copy can move it without changing a byte) with the text last
compiled; when they differ the file is compiled again before the request is answered. A text that
does not compile leaves the last one that did in use, and every answer says which one that is, so
the page can keep saying that projects are evaluated with an older version until a good one is saved.

The compiled policy is lent to each request for as long as it runs: a reload replaces it, and the
policy it replaces is closed only when the last request that started on it has finished.
"""
from __future__ import annotations

import datetime as dt
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import messages
from ..errors import ToolError, relative_name
from ..backend import Engine
from ..policy import CompiledPolicy, load_policy_text, read_policy_text
from .saving import current_version, version_of


@dataclass(eq=False)
class _Loan:
    """A compiled policy, the file version it came from, and how many requests are using it."""

    compiled: CompiledPolicy
    version: str
    loaded_at: dt.datetime
    users: int = 0
    retired: bool = False


@dataclass(frozen=True, slots=True)
class Reload:
    """What one request found: the file had changed on disk and was compiled again."""

    version: str | None
    at: dt.datetime


class PolicyState:
    """One policy file, compiled from its current text; the last text that compiled stays in use."""

    def __init__(self, policy_path: Path) -> None:
        self.policy_path = policy_path
        self._loans = threading.Lock()  # guards _current and the users/retired counts
        self._reloading = threading.Lock()  # one reload at a time, so the newest file wins
        self._current: _Loan | None = None
        self._tried: str | None = None  # the version of the text last compiled, whether it compiled or not
        self.load_error: ToolError | None = None
        self.reload()

    def reload(self) -> None:
        """Compile the file's text as it is now. Never raises: a text that does not load leaves the
        last good policy in use and its error in `load_error` (a save that already wrote must not
        answer 500)."""
        with self._reloading:
            self._reload()

    def _reload(self) -> None:
        try:
            text = read_policy_text(self.policy_path)
        except ToolError as error:
            self._tried, self.load_error = current_version(self.policy_path), error
            return
        version = version_of(text)
        self._tried = version
        try:
            compiled = load_policy_text(self.policy_path, text, backend=Engine.DURABLE)
        except ToolError as error:
            self.load_error = error
            return
        except Exception:  # noqa: BLE001 - shown on the server's terminal; the page gets a message
            traceback.print_exc()
            self.load_error = ToolError(messages.RELOAD_INTERNAL_ERROR)
            return
        with self._loans:
            old = self._current
            self._current, self.load_error = _Loan(compiled, version, dt.datetime.now().astimezone()), None
            if old is not None:
                old.retired = True
            close_old = old is not None and old.users == 0
        if close_old:
            old.compiled.close()

    def ensure_current(self) -> Reload | None:
        """Compile the file again if its text changed since it was last compiled; what was found."""
        if self._disk_version() == self._tried:
            return None
        with self._reloading:
            if self._disk_version() == self._tried:
                return None  # another request reloaded it while this one waited
            self._reload()
            return Reload(self._tried, dt.datetime.now().astimezone())

    def _disk_version(self) -> str | None:
        try:
            return current_version(self.policy_path)
        except OSError:  # unreadable for a moment (an editor replacing it): answer from what is loaded
            return self._tried

    @contextmanager
    def policy(self) -> Iterator[CompiledPolicy]:
        """The compiled policy of the file as it is now (or the last one that compiled), lent for
        the duration of one request."""
        self.ensure_current()
        with self._loans:
            loan = self._current
            if loan is None:
                raise self.load_error or ToolError(messages.POLICY_NOT_LOADED)
            loan.users += 1
        try:
            yield loan.compiled
        finally:
            with self._loans:
                loan.users -= 1
                close = loan.retired and loan.users == 0
            if close:
                loan.compiled.close()

    def has_policy(self) -> bool:
        """Whether any version of the file has compiled (a request can be lent a policy)."""
        return self._current is not None

    def status(self) -> dict:
        """Which file version is on disk and which one projects are evaluated with, for every answer."""
        with self._loans:
            loan = self._current
        in_use = None if loan is None else {"版本": loan.version, "指纹": loan.compiled.ir.fingerprint,
                                            "载入时间": loan.loaded_at.isoformat(timespec="seconds")}
        status = {"文件": relative_name(self.policy_path), "版本": self._tried, "评估所用": in_use,
                  "能编译": self.load_error is None}
        if self.load_error is not None:
            status["错误"] = self.load_error.render().splitlines()[0]
        return status

    def close(self) -> None:
        """Stop lending the policy; it is closed now, or when the last request using it ends."""
        with self._loans:
            loan, self._current = self._current, None
            if loan is not None:
                loan.retired = True
            close = loan is not None and loan.users == 0
        if close:
            loan.compiled.close()
