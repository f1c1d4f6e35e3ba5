"""政策工作台: a local web page where policy staff read, edit and try the rules.

A small HTTP server from the standard library, bound to 127.0.0.1 only, serving one static page
(vanilla JavaScript, nothing to build, no CDN) and a JSON API (api.py) over the same façade the CLI
uses. Every request first passes the gate (gate.py: host, content type, origin, per-launch secret),
and its body is read with a size cap and a socket timeout and validated (bodies.py) before the API
sees it. Every error is answered as JSON with a Chinese message; nothing ever shows a traceback, and
the server keeps serving after an error.
"""
from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .. import messages
from ..errors import FactsError, FactsErrors, ToolError
from .scenario_desk import Busy
from .api import UnsavedPolicy, Workbench, diagnostics, printable_report
from .bodies import (MAX_BODY_BYTES, BodyError, CheckBody, EmptyBody, EvaluateBody, FeatureSaveBody, FormFileBody, FormSaveBody,
                     MergeBody, RegisterListBody, RegisterProjectBody, RegisterSetBody, SaveBody, ScenarioBody, StepUpdateBody, parse_body)
from .facts_form import error_entries
from .gate import CONTENT_SECURITY_POLICY, TOKEN_HEADER, Gate
from .register_desk import RegisterDesk
from .saving import StaleVersion, version_of

# Workbench and printable_report lived here before api.py; other modules and tests still import them from here.
__all__ = ["TOKEN_HEADER", "Handler", "Workbench", "WorkbenchServer", "make_server", "printable_report", "version_of"]

STATIC = Path(__file__).resolve().parent / "static"
CLIENT_TIMEOUT_SECONDS = 30.0  # a client that stops sending mid-request loses its connection, not a thread forever
BODY_DEADLINE_TIMEOUTS = 4  # the whole body within four socket timeouts (2 minutes; a body is at most ~4 MB, sent locally)
LISTEN_BACKLOG = 128  # connections the kernel holds while the server is busy accepting (the page opens a handful)
_CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png",
                  ".svg": "image/svg+xml", ".txt": "text/plain"}


class WorkbenchServer(ThreadingHTTPServer):
    """The HTTP server of one workbench launch: its policy, its gate, its limits."""

    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True  # a request still running never keeps Ctrl+C from ending the process

    def __init__(self, workbench: Workbench, port: int, client_timeout: float, register_database: str | None = None) -> None:
        self.workbench = workbench
        self.register = RegisterDesk(workbench, register_database)
        self.client_timeout = client_timeout
        super().__init__(("127.0.0.1", port), Handler)
        self.gate = Gate(self.server_address[1])

    def server_close(self) -> None:
        super().server_close()
        self.register.close()
        self.workbench.close()


class Handler(BaseHTTPRequestHandler):
    server: WorkbenchServer
    server_version = "PolicyWorkbench/1"  # HTTP headers are Latin-1

    @property
    def timeout(self) -> float:  # read by StreamRequestHandler.setup() to set the socket timeout
        return self.server.client_timeout

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal shows the address, not every request

    # ------------------------------------------------------------------ answers
    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")  # no address of ours is told to another site
        self.send_header("X-Frame-Options", "DENY")  # no other page can frame ours and steer its clicks
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)  # gate.py says what it allows
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")  # another site's window gets no handle on ours
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")  # nor embeds our answers
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True
        self._json(status, {"error": message})

    def _guard(self, action: Callable[[], None]) -> None:
        """Answer every failure as JSON with our own message; never a traceback, never a dead server."""
        try:
            action()
        except BodyError as error:
            self._json(HTTPStatus.BAD_REQUEST, {"error": messages.BAD_REQUEST.format(problem=error)})
        except StaleVersion as error:
            self._json(HTTPStatus.CONFLICT, {"error": str(error)})
        except UnsavedPolicy as error:
            self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": error.message, "errors": diagnostics(error.cause)})
        except Busy as error:
            self._json(HTTPStatus.TOO_MANY_REQUESTS, {"error": str(error)})
        except (FactsError, FactsErrors) as error:
            # The form shows each mistake at its field, found by key path.
            self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": error.render(), "errors": diagnostics(error),
                                                         "facts_errors": error_entries(error)})
        except ToolError as error:
            self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": error.render(), "errors": diagnostics(error)})
        except ValueError as error:
            self._json(HTTPStatus.BAD_REQUEST, {"error": messages.BAD_REQUEST.format(problem=error)})
        except (TimeoutError, ConnectionError):
            self.close_connection = True  # the client went quiet or away; nobody is left to answer
        except Exception:  # noqa: BLE001 - logged on the server's terminal, not shown to the page
            traceback.print_exc()
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": messages.SERVER_INTERNAL_ERROR})

    # ------------------------------------------------------------------ GET: the page and reads
    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        url = urlparse(self.path)
        gate = self.server.gate
        reason = gate.refuse_api_read(self.headers) if url.path.startswith("/api/") else gate.refuse_read(self.headers)
        if reason is not None:
            self._refuse(HTTPStatus.FORBIDDEN, reason)
            return
        workbench = self.server.workbench
        routes = {
            "/api/policy": lambda: self._answer(workbench.get_policy),
            "/api/articles": lambda: self._answer(workbench.articles),
            "/api/vocabulary": lambda: self._answer(workbench.vocabulary),
            # The language's definition for the page (keywords, kinds, units, types, article numbers,
            # this policy's fields and parameters); the JSON shape is documented in meta.py.
            "/api/meta": lambda: self._answer(workbench.meta),
            "/api/samples": lambda: self._answer(workbench.samples),
            # The 规格场景 tab (the JSON shapes are documented in scenario_desk.py).
            "/api/scenarios": lambda: self._answer(workbench.scenarios.listing),
            "/api/scenarios/file": lambda: self._answer(workbench.scenarios.read, parse_qs(url.query).get("file", [""])[0]),
            "/api/status": lambda: self._answer(dict),  # nothing but 政策文件 (and 重新载入): the page asks now and then
            "/api/facts-form": lambda: self._answer(workbench.facts_form),
        }
        self._guard(routes.get(url.path) or (lambda: self._static(url.path)))

    def _static(self, url_path: str) -> None:
        # A page without a <link rel="icon"> (the printable report) makes the browser ask for /favicon.ico.
        aliases = {"/": "index.html", "/index.html": "index.html", "/favicon.ico": "favicon.svg"}
        name = aliases.get(url_path) or url_path.removeprefix("/static/")
        path = (STATIC / name).resolve()
        if STATIC not in path.parents or not path.is_file():
            self._json(HTTPStatus.NOT_FOUND, {"error": messages.NO_SUCH_PAGE})
            return
        content = path.read_bytes()
        if path.name == "index.html":
            content = self.server.gate.page_html(content.decode("utf-8")).encode("utf-8")
        self._send(HTTPStatus.OK, content, _CONTENT_TYPES.get(path.suffix, "application/octet-stream") + "; charset=utf-8")

    # ------------------------------------------------------------------ POST: writes and runs
    def do_POST(self) -> None:  # noqa: N802 - the http.server interface
        workbench = self.server.workbench
        routes: dict[str, tuple[type, Callable]] = {
            "/api/check": (CheckBody, workbench.check),
            "/api/save": (SaveBody, workbench.save),
            "/api/merge": (MergeBody, workbench.merge),
            "/api/evaluate": (EvaluateBody, workbench.evaluate),
            "/api/report": (EvaluateBody, workbench.report_page),
            "/api/facts-form/load": (FormFileBody, workbench.load_form),
            "/api/facts-form/save": (FormSaveBody, workbench.save_form),
            "/api/facts-form/check": (FormSaveBody, workbench.check_form),
            "/api/scenarios": (ScenarioBody, workbench.run_scenarios),
            "/api/scenarios/save": (FeatureSaveBody, workbench.scenarios.save),
            "/api/scenarios/update": (StepUpdateBody, workbench.scenarios.update_step),
            "/api/scenarios/copy": (EmptyBody, workbench.scenarios.copy_bundled),
            "/api/register/list": (RegisterListBody, self.server.register.overview),
            "/api/register/project": (RegisterProjectBody, self.server.register.project),
            "/api/register/report": (RegisterProjectBody, self.server.register.report_page),
            "/api/register/set": (RegisterSetBody, self.server.register.set_field),
        }
        raw = self._read_body()
        if raw is None:
            return
        if (reason := self.server.gate.refuse_write(self.headers)) is not None:
            self._refuse(HTTPStatus.FORBIDDEN, reason)
            return
        path = urlparse(self.path).path
        if path not in routes:
            self._json(HTTPStatus.NOT_FOUND, {"error": messages.NO_SUCH_ENDPOINT})
            return
        model, endpoint = routes[path]
        if path.startswith("/api/register/"):  # the register's own records; its evaluations still use the current policy
            self._guard(lambda: self._json(HTTPStatus.OK, endpoint(parse_body(raw, model))))
        else:
            self._guard(lambda: self._answer(endpoint, parse_body(raw, model)))

    def _answer(self, endpoint: Callable, *args) -> None:
        """Answer from the policy file as it is now: compiled again first if it changed on disk, and
        every answer says which version is on disk and which one projects are evaluated with
        (`政策文件`), and whether this request found the file changed (`重新载入`)."""
        workbench = self.server.workbench
        reloaded = workbench.ensure_current()
        data = endpoint(*args)
        data = {**data, "政策文件": workbench.status()}
        if reloaded is not None:
            data["重新载入"] = {"版本": reloaded.version, "时间": reloaded.at.isoformat(timespec="seconds")}
        self._json(HTTPStatus.OK, data)

    def _read_body(self) -> bytes | None:
        """The request's body, read whole before anything else (so a refusal never leaves bytes
        unread on the socket); None once a refusal has been sent."""
        if self.headers.get("Transfer-Encoding"):
            self._refuse(HTTPStatus.LENGTH_REQUIRED, messages.BODY_CHUNKED)
            return None
        declared = self.headers.get("Content-Length", "0").strip()
        if not declared.isascii() or not declared.isdigit():
            self._refuse(HTTPStatus.BAD_REQUEST, messages.BODY_BAD_LENGTH.format(declared=declared))
            return None
        length = int(declared)
        if length > MAX_BODY_BYTES:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, messages.BODY_TOO_LARGE.format(length=length, limit=MAX_BODY_BYTES))
            return None
        # A client that stalls is cut off by the socket timeout; one that trickles a byte now and then
        # (each read within the timeout) by a deadline for the whole body.
        deadline = time.monotonic() + BODY_DEADLINE_TIMEOUTS * self.server.client_timeout
        parts, received = [], 0
        try:
            while received < length:
                part = self.rfile.read1(min(length - received, 65_536))
                if not part or time.monotonic() > deadline:
                    self.close_connection = True  # the client hung up mid-body, or is too slow to wait for
                    return None
                parts.append(part)
                received += len(part)
        except (TimeoutError, ConnectionError):
            self.close_connection = True
            return None
        return b"".join(parts)

    def do_OPTIONS(self) -> None:  # noqa: N802 - the http.server interface
        # A CORS preflight: answered without any Access-Control-* header, so the browser never sends
        # the cross-origin request it asked about.
        self._refuse(HTTPStatus.FORBIDDEN, messages.REFUSED_PREFLIGHT)


def make_server(policy_path: Path, port: int, *, client_timeout: float = CLIENT_TIMEOUT_SECONDS,
                register_database: str | None = None, features: Path | None = None) -> WorkbenchServer:
    """A server for one policy file on 127.0.0.1:port (0: any free port); the caller runs serve_forever().
    `register_database` is the 台账 tab's database (a path or URL; default as for `register`);
    `features` the folder of feature files (default: beside the policy, or the tool's own: api.Workbench)."""
    workbench = Workbench(policy_path, features)
    return WorkbenchServer(workbench, port, client_timeout, register_database)
