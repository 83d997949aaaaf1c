"""`claimdesk serve`: the token, the limits and the end of every app process, with a real server."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from serve_support import TOKEN, ServeProcess, alive, children
from tui_support import make_db
from tui.commands.demo import load_demo


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    load_demo(path).close()
    return path


@pytest.fixture
def server(demo_db: Path, tmp_path: Path, request):
    extra = getattr(request, "param", ())
    serving = ServeProcess(demo_db, tmp_path, *extra)
    yield serving
    serving.stop()


def status_of(url: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_every_request_without_the_right_token_gets_403_and_starts_no_app(server: ServeProcess):
    paths = ["/", "/?annotator=ann1", "/static/js/textual.js", "/ws/ann1?width=80&height=24", "/download/x"]
    for path in paths:
        assert status_of(server.url + path) == 403, path
        assert status_of(server.url + path + ("&" if "?" in path else "?") + "token=wrong-token-0123456789") == 403
        assert status_of(server.url + path, cookie="claimdesk_token=" + TOKEN[:-1] + "x") == 403
    assert children(server.process.pid) == set()
    assert not any("started" in line for line in server.seen)


def test_the_token_in_the_link_becomes_a_cookie_and_leaves_the_address_bar(server: ServeProcess):
    request = urllib.request.Request(f"{server.url}/?annotator=ann1&token={TOKEN}")

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(Keep).open(request, timeout=10)
    assert answer.value.code == 303
    assert answer.value.headers["Location"] == "/?annotator=ann1"
    assert f"claimdesk_token={TOKEN}" in answer.value.headers["Set-Cookie"]
    assert "HttpOnly" in answer.value.headers["Set-Cookie"]
    assert status_of(f"{server.url}/?annotator=ann1", cookie=f"claimdesk_token={TOKEN}") == 200


async def open_tab(server: ServeProcess, session: aiohttp.ClientSession, annotator: str):
    return await session.ws_connect(f"{server.url.replace('http', 'ws')}/ws/{annotator}?width=80&height=24")


@pytest.mark.parametrize("server", [("--max-apps", "1")], indirect=True)
async def test_max_apps_holds_and_a_closed_tab_frees_its_slot(server: ServeProcess):
    async with aiohttp.ClientSession(cookies={"claimdesk_token": TOKEN}) as session:
        first = await open_tab(server, session, "ann1")
        started = await asyncio.to_thread(server.wait_for, "started for 'ann1'")
        pid = server.app_pid(started)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await open_tab(server, session, "ann2")
        assert refused.value.status == 503
        async with session.get(f"{server.url}/?annotator=ann2") as page:
            assert page.status == 503
            assert "1 app slots" in await page.text()
        assert children(server.process.pid) == {pid}
        await first.close()
        await asyncio.to_thread(server.wait_for, f"app {pid} ended")
        second = await open_tab(server, session, "ann2")
        await asyncio.to_thread(server.wait_for, "started for 'ann2'")
        await second.close()


@pytest.mark.parametrize("server", [("--idle-timeout", "0.02")], indirect=True)
async def test_an_idle_tab_ends_its_app(server: ServeProcess):
    async with aiohttp.ClientSession(cookies={"claimdesk_token": TOKEN}) as session:
        tab = await open_tab(server, session, "ann1")
        pid = server.app_pid(await asyncio.to_thread(server.wait_for, "started for 'ann1'"))
        await asyncio.to_thread(server.wait_for, f"app {pid} idle")
        await asyncio.to_thread(server.wait_for, f"app {pid} ended")
        assert not alive(pid)
        async for _message in tab:  # the server closes the tab's socket
            pass
        assert tab.closed


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL])
async def test_stopping_the_server_leaves_no_app_process(demo_db: Path, tmp_path: Path, stop_signal: int):
    server = ServeProcess(demo_db, tmp_path)
    try:
        async with aiohttp.ClientSession(cookies={"claimdesk_token": TOKEN}) as session:
            tabs = [await open_tab(server, session, name) for name in ("ann1", "ann2")]
            pids = [server.app_pid(await asyncio.to_thread(server.wait_for, f"started for '{name}'"))
                    for name in ("ann1", "ann2")]
            assert all(alive(pid) for pid in pids)
            await asyncio.to_thread(server.stop, stop_signal)
            deadline = time.monotonic() + 30
            while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)  # the apps end on their own SIGTERM: wait for it
            assert not any(alive(pid) for pid in pids), "an app process outlived its server"
            for tab in tabs:
                await tab.close()
    finally:
        server.stop(signal.SIGKILL)


def test_binding_beyond_this_machine_needs_allow_remote(demo_db: Path):
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "serve", "--db", str(demo_db), "--host", "0.0.0.0", "--port", "1"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr and "SSH tunnel" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_short_token_file_is_refused(demo_db: Path, tmp_path: Path):
    (tmp_path / "token").write_text("short\n")
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "serve", "--db", str(demo_db), "--token-file", str(tmp_path / "token")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "at least 16 characters" in result.stderr


def test_without_textual_serve_it_says_how_to_install_it(demo_db: Path):
    code = (
        "import sys; sys.modules['textual_serve'] = None\n"
        "from tui.cli import main\n"
        f"sys.exit(main(['serve', '--db', {str(demo_db)!r}]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "pip install 'claimdesk[serve]'" in result.stderr


def test_a_tab_without_a_name_asks_for_one_and_a_bad_name_is_refused(server: ServeProcess):
    cookie = {"Cookie": f"claimdesk_token={TOKEN}"}
    with urllib.request.urlopen(urllib.request.Request(server.url + "/", headers=cookie), timeout=10) as page:
        form = page.read().decode()
    assert "<input id='annotator' name='annotator'" in form
    assert status_of(server.url + "/?annotator=%1b%5B31m", cookie=cookie["Cookie"]) == 400
    assert status_of(server.url + "/?annotator=" + "a" * 65, cookie=cookie["Cookie"]) == 400
    assert children(server.process.pid) == set()


async def test_a_postgresql_database_is_served_with_its_url_in_no_tab_command_line(pg_server, tmp_path: Path):
    url = pg_server.new_database().replace("postgres@", "postgres:s3cret@")  # the server trusts; the password is shown nowhere
    make_db(url)
    serving = ServeProcess(url, tmp_path)
    try:
        assert any(line.startswith("claimdesk serve: postgresql://postgres:***@") for line in serving.seen)
        async with aiohttp.ClientSession(cookies={"claimdesk_token": TOKEN}) as session:
            tab = await open_tab(serving, session, "ann1")
            pid = serving.app_pid(await asyncio.to_thread(serving.wait_for, "started for 'ann1'"))
            command_line = Path(f"/proc/{pid}/cmdline").read_bytes()
            environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert b"s3cret" not in command_line and b"postgresql" not in command_line
            assert f"CLAIMDESK_DB={url}".encode() in environment
            await tab.close()
    finally:
        serving.stop()
    assert not any("s3cret" in line for line in serving.seen)
