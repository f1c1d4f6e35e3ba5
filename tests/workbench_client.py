"""A running workbench on a free port, editing a copy of the Jinxiang policy, and a client that
talks to it as its own page does (same Origin, JSON, the launch secret) unless told otherwise.
(A module of its own: the API, limits and browser tests share it.)"""
from __future__ import annotations

import json
import shutil
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from engine.workbench.server import TOKEN_HEADER, WorkbenchServer, make_server
from helpers import ROOT


@dataclass
class RunningWorkbench:
    server: WorkbenchServer
    policy: Path

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page_headers(self) -> dict[str, str]:
        """What the workbench's own page sends with a POST."""
        return {"Content-Type": "application/json", "Origin": self.url, TOKEN_HEADER: self.server.gate.token}

    def call(self, path: str, body=None, *, raw: bytes | None = None, headers: dict | None = None,
             method: str | None = None) -> tuple[int, dict]:
        """(status, JSON answer) of one request; a POST when there is a body, with the page's headers
        overridden by `headers` (a None value drops that header)."""
        data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None)
        sent = {**self.page_headers(), **(headers or {})} if data is not None or method else dict(headers or {})
        request = urllib.request.Request(self.url + path, data=data, method=method or ("POST" if data is not None else "GET"),
                                         headers={k: v for k, v in sent.items() if v is not None})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read().decode("utf-8"))


@contextmanager
def running_workbench(folder: Path, policy: Path | None = None, **options):
    """A workbench serving `policy`, by default a fresh copy of the Jinxiang policy in `folder` with its
    原文出处 (without it lint warns W201, and the page shows a pass with a warning, not a clean pass)."""
    if policy is None:
        policy = folder / "jinxiang_2024.rules"
        shutil.copy(ROOT / "policies" / "jinxiang_2024.rules", policy)
        shutil.copy(ROOT / "policies" / "jinxiang_2024.source.txt", folder)
    server = make_server(policy, 0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RunningWorkbench(server, policy)
    finally:
        server.shutdown()
        server.server_close()
