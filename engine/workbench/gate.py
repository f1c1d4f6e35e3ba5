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

- Every API request (reads too) that a browser marks as coming from another page
  (`Sec-Fetch-Site: cross-site` or `same-site`, as for an `<img>`, `<script>` or form another page
  put there) is refused before any work: such a page cannot read the answer, but it could make the
  server parse every feature file on each of a thousand image loads. Navigating to the page itself
  stays open (a link, a bookmark); framing it is refused by the answer's headers (server.py).

A refused request gets 403 and one Chinese sentence saying which check failed.

Every answer also carries a Content-Security-Policy (CONTENT_SECURITY_POLICY): only the workbench's
own script files run, nothing inline, nothing from elsewhere, no plugin, no framing, no form
posting away. The page writes every text from a file with textContent; this is the second wall
should one place ever forget. The printable report, opened as a blob: document, inherits it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import messages

TOKEN_HEADER = "X-Workbench-Token"
TOKEN_PLACEHOLDER = "__WORKBENCH_TOKEN__"  # the value of index.html's <meta name="workbench-token">
# Styles may be inline: the printable report carries its own <style>, and the editor (CodeMirror)
# adds style elements at run time. Scripts may not, but for the one handler the printable report's
# 打印 button has (templates/report.html; the same file opens without a server), allowed by its hash.
_PRINT_BUTTON = "'sha256-" + base64.b64encode(hashlib.sha256(b"window.print()").digest()).decode() + "'"
CONTENT_SECURITY_POLICY = (f"default-src 'none'; script-src 'self' 'unsafe-hashes' {_PRINT_BUTTON}; "
                           "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                           "connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'none'; base-uri 'none'; "
                           "object-src 'none'; frame-ancestors 'none'")
# What browsers say (Fetch Metadata) about who started a request; absent from non-browser clients.
_OUR_OWN = (None, "same-origin", "none")


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
        """Why a read of the page or its files is refused, or None."""
        host = headers.get("Host")
        if host not in self.allowed_hosts():
            return messages.REFUSED_HOST.format(host=host or "（无）", port=self.port)
        return None

    def refuse_api_read(self, headers: Mapping[str, str]) -> str | None:
        """Why a read of the API (policy text, articles, scenarios) is refused, or None."""
        return self.refuse_read(headers) or self._refuse_other_site(headers)

    @staticmethod
    def _refuse_other_site(headers: Mapping[str, str]) -> str | None:
        site = headers.get("Sec-Fetch-Site")
        return None if site in _OUR_OWN else messages.REFUSED_OTHER_SITE.format(site=site)

    def refuse_write(self, headers: Mapping[str, str]) -> str | None:
        """Why a request that writes or runs something is refused, or None."""
        if (reason := self.refuse_api_read(headers)) is not None:
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
