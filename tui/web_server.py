"""The app in a browser: textual-serve behind a secret token, with a cap on app processes.

textual-serve runs one app process per browser tab and has no access control:
anyone who reaches its port could annotate as anyone. So every request here
must carry the server's token (in the link once, then in a cookie), compared
in constant time; a request without it gets 403 and starts nothing. The
token is required on loopback too, because other users of a shared server
can reach 127.0.0.1.

Each tab is one annotator, named in the link (``?annotator=NAME``) or picked
on a first page. App processes are started without a shell, end when the
server ends (even on ``kill -9``: they get SIGTERM from the kernel when their
parent dies) and end after ``idle_timeout`` seconds without a key.
"""

from __future__ import annotations

import asyncio
import ctypes
import hmac
import html
import logging
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("claimdesk.serve")

TOKEN_COOKIE = "claimdesk_token"
ANNOTATOR_MAX_LENGTH = 64
PR_SET_PDEATHSIG = 1
SECONDS_TO_END = 5.0


def _end_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to send this process SIGTERM when the server dies, so no app is orphaned."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def valid_annotator(name: str) -> bool:
    """A name fit for a span's annotator field: printable, not blank, not too long."""
    return 0 < len(name.strip()) <= ANNOTATOR_MAX_LENGTH and name.isprintable()


class AppProcess(AppService):
    """One browser tab's app: started from an argument list, not a shell line."""

    def __init__(self, argv: Sequence[str], websocket: web.WebSocketResponse, **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)
        self.websocket = websocket
        self.last_input = time.monotonic()

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            preexec_fn=_end_with_parent,
        )
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def send_bytes(self, data: bytes) -> bool:
        self.last_input = time.monotonic()
        return await super().send_bytes(data)

    async def end(self) -> None:
        """Ask the app to quit (it saves as on SIGTERM); kill it if it has not gone in a few seconds."""
        try:
            await asyncio.wait_for(self.stop(), SECONDS_TO_END)
        except (asyncio.TimeoutError, ConnectionError):
            pass
        process = self._process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        await self.websocket.close()


class ClaimdeskServer(Server):
    """textual-serve's server with a token, an annotator per tab and limits."""

    def __init__(
        self,
        *,
        app_argv: Sequence[str],
        host: str,
        port: int,
        token: str,
        max_apps: int,
        idle_timeout: float,
        public_url: str | None = None,
        announce: str = "",
    ) -> None:
        super().__init__(command="claimdesk", host=host, port=port, title="claimdesk", public_url=public_url)
        self.app_argv = list(app_argv)
        self.token = token
        self.max_apps = max_apps
        self.idle_timeout = idle_timeout
        self.fixed_public_url = public_url
        self.announce = announce
        self.apps: set[AppProcess] = set()
        self._watchdog: asyncio.Task[None] | None = None

    # --- access --------------------------------------------------------------------------

    def _token_matches(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def _require_token(self, request: web.Request, handler: Any) -> web.StreamResponse:
        in_link = request.query.get("token")
        if not (self._token_matches(in_link) or self._token_matches(request.cookies.get(TOKEN_COOKIE))):
            return web.Response(
                status=403,
                text="403: this claimdesk server needs the link with its token "
                "(printed by `claimdesk serve` when it started).\n",
            )
        if in_link is not None:
            # Move the token from the address bar (and history) into a cookie for the page's own requests.
            query = request.rel_url.query.copy()
            del query["token"]
            response = web.HTTPSeeOther(location=str(request.rel_url.with_query(query)))
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict")
            return response
        return await handler(request)

    # --- pages ---------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._require_token)
        app.router.add_get("/ws/{annotator}", self.handle_annotator_websocket)
        return app

    def _base_url(self, request: web.Request) -> str:
        """Where the browser reached us: through an SSH tunnel that is another port than ours."""
        return self.fixed_public_url or f"{request.scheme}://{request.host}"

    def _busy(self) -> web.Response:
        return web.Response(
            status=503,
            text=f"503: all {self.max_apps} app slots of this server are in use; close a tab or try later.\n",
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        annotator = request.query.get("annotator")
        if annotator is None:
            return web.Response(text=self._pick_page(), content_type="text/html")
        if not valid_annotator(annotator):
            raise web.HTTPBadRequest(text="400: an annotator's name is 1 to 64 printable characters.\n")
        if len(self.apps) >= self.max_apps:
            return self._busy()
        base = self._base_url(request)
        websocket_base = ("wss" if base.startswith("https") else "ws") + base[base.index(":"):]
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket_base}/ws/{quote(annotator, safe='')}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": f"claimdesk — {annotator}"},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def _pick_page(self) -> str:
        """The first page of a tab: who is annotating (the name goes on every span)."""
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>claimdesk</title></head>"
            "<body style='font-family: monospace; max-width: 40em; margin: 4em auto'>"
            "<h1>claimdesk</h1><form method='get' action=''>"
            "<label for='annotator'>Your name (it goes on every span you make):</label><br>"
            f"<input id='annotator' name='annotator' maxlength='{ANNOTATOR_MAX_LENGTH}' required autofocus> "
            "<button type='submit'>Open</button></form>"
            f"<p>{html.escape(f'{len(self.apps)} of {self.max_apps} app slots in use.')}</p>"
            "</body></html>"
        )

    # --- app processes -------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPNotFound(text="open a tab through the page, which names the annotator\n")

    async def handle_annotator_websocket(self, request: web.Request) -> web.StreamResponse:
        annotator = request.match_info["annotator"]
        if not valid_annotator(annotator):
            raise web.HTTPBadRequest(text="400: an annotator's name is 1 to 64 printable characters.\n")
        if len(self.apps) >= self.max_apps:
            return self._busy()
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        app = AppProcess(
            [*self.app_argv, "--annotator", annotator],
            websocket,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.apps.add(app)
        try:
            await app.start(to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24))
            log.info("app %s started for %r (%d of %d)", app.pid, annotator, len(self.apps), self.max_apps)
            await self._process_messages(websocket, app)
        except (asyncio.CancelledError, ConnectionError):
            pass
        finally:
            self.apps.discard(app)
            await app.end()
            log.info("app %s ended", app.pid)
        return websocket

    async def _end_idle_apps(self) -> None:
        period = max(0.2, min(self.idle_timeout / 4, 30.0))
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for app in [a for a in self.apps if now - a.last_input > self.idle_timeout]:
                log.info("app %s idle for %.0f s: ending it", app.pid, now - app.last_input)
                self.apps.discard(app)
                await app.end()

    async def on_startup(self, app: web.Application) -> None:
        self._watchdog = asyncio.create_task(self._end_idle_apps())
        self.console.print(self.announce, highlight=False, markup=False, soft_wrap=True)

    async def on_shutdown(self, app: web.Application) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        await asyncio.gather(*(running.end() for running in list(self.apps)), return_exceptions=True)
        self.apps.clear()

    def serve(self, debug: bool = False) -> None:
        """Run until SIGINT or SIGTERM; every app process ends with the server."""
        logging.basicConfig(level="INFO", format="claimdesk serve: %(message)s", stream=sys.stderr)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(stop_signal, self.request_exit)
        web.run_app(
            self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
            print=lambda *args: None, shutdown_timeout=SECONDS_TO_END, access_log=None,
        )


def read_token_file(path: Path) -> str:
    """The token in a file of its own (first line), so it never shows in `ps` or a shell history."""
    token = path.read_text(encoding="utf-8").strip()
    if len(token) < 16:
        raise ValueError(f"{path}: the token must be at least 16 characters")
    return token
