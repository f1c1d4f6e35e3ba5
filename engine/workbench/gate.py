"""Who may talk to the workbench: the checks every request passes before the API sees it.

The workbench edits a file on the staffer's disk and starts test runs, so a web page open in the same
browser must not be able to drive it. Four checks, each closing one way in:

- Host must be `127.0.0.1:PORT` or `localhost:PORT`: a page on another name that was re-pointed at
  127.0.0.1 (DNS rebinding) is same-origin with us in the browser's eyes but still sends its own name.
  Every request, reads included, passes this check.
- Requests that write or run (every POST) must say `Content-Type: application/json`, which a page on
  another origin can only send after a CORS preflight; the server never answers one, so the browser
  never sends the request. A form or a `text/plain` fetch is refused here.
- Their `Origin` must be the server's own (`http://` + the Host just checked).
- They must carry the per-launch secret from the page's own HTML in the `X-Workbench-Token` header.
  Another origin cannot read our HTML, so it cannot know the secret. The secret never travels in an
  address: the printable report is such a POST too, and the page shows its answer in a new window.

A refused request gets 403 and one Chinese sentence saying which check failed.
"""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import messages

TOKEN_HEADER = "X-Workbench-Token"
TOKEN_PLACEHOLDER = "__WORKBENCH_TOKEN__"  # the value of index.html's <meta name="workbench-token">


@dataclass(frozen=True)
class Gate:
    """The checks for one server launch: its port and its secret."""

    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def allowed_hosts(self) -> tuple[str, ...]:
        names = ("127.0.0.1", "localhost")
        # On port 80 browsers leave the port out of Host and Origin.
        return tuple(f"{name}:{self.port}" for name in names) + (names if self.port == 80 else ())

    def refuse_read(self, headers: Mapping[str, str]) -> str | None:
        """Why a read (page, policy text, articles) is refused, or None."""
        host = headers.get("Host")
        if host not in self.allowed_hosts():
            return messages.REFUSED_HOST.format(host=host or "（无）", port=self.port)
        return None

    def refuse_write(self, headers: Mapping[str, str]) -> str | None:
        """Why a request that writes or runs something is refused, or None."""
        if (reason := self.refuse_read(headers)) is not None:
            return reason
        content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return messages.REFUSED_CONTENT_TYPE.format(content_type=content_type or "（无）")
        origin = headers.get("Origin")
        if origin != f"http://{headers.get('Host')}":
            return messages.REFUSED_ORIGIN.format(origin=origin or "（未注明来源）")
        if not self.token_matches(headers.get(TOKEN_HEADER)):
            return messages.REFUSED_TOKEN
        return None

    def token_matches(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))

    def page_html(self, template: str) -> str:
        """index.html with this launch's secret in its meta tag."""
        if template.count(TOKEN_PLACEHOLDER) != 1:
            raise RuntimeError(f"index.html must contain {TOKEN_PLACEHOLDER} exactly once")
        return template.replace(TOKEN_PLACEHOLDER, self.token)
