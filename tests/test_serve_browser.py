"""`claimdesk serve` driven in a real browser: headless Chromium (Debian's) through chromedriver.

The page is opened with the token, an article is opened, a sentence selected
with `s` and tagged with `c`, and the claim is then read from the database.
What the browser received from the app is recorded by a small hook on its
WebSocket, so the test can check the article's title reached the page.
"""

from __future__ import annotations

import base64
import shutil
import time
from pathlib import Path

import pytest

from serve_support import TOKEN, ServeProcess
from store import Store
from tui.commands.demo import load_demo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="no browser: install Debian's chromium and chromium-driver (.ci/run does) to run the browser test",
)

# Keeps every binary message the page's WebSocket receives, decoded, in window.__received.
RECORD_SOCKET = """
window.__received = [];
const OriginalWebSocket = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = new OriginalWebSocket(url, protocols);
  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') {
      window.__received.push(new TextDecoder().decode(new Uint8Array(event.data)));
    }
  });
  return socket;
};
window.WebSocket.prototype = OriginalWebSocket.prototype;
"""


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1100,700"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SOCKET})
    yield driver
    driver.quit()


def wait_until(check, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_annotator_tags_a_claim_in_the_browser(browser, tmp_path: Path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    db = tmp_path / "demo.db"
    with load_demo(db) as store:
        first = store.articles.page(limit=1)[0]
    server = ServeProcess(db, tmp_path)
    try:
        browser.get(f"{server.url}/?token={TOKEN}&annotator=webann")
        assert "token=" not in browser.current_url
        received = lambda: "".join(browser.execute_script("return window.__received"))  # noqa: E731
        wait_until(lambda: "claimdesk library" in received(), "the library to reach the page")
        terminal = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        terminal.click()
        wait_until(lambda: first.title[:20] in received(), "the first article's title on the page")
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        wait_until(lambda: "article 1 of" in received(), "the article to open")
        ActionChains(browser).send_keys("s").perform()
        ActionChains(browser).send_keys("c").perform()

        def claim_stored():
            with Store(db) as store:
                return [s for s in store.spans.for_article(first.id, annotator="webann") if s.label == "claim"]

        spans = wait_until(claim_stored, "the claim in the database")
        assert spans[0].end > spans[0].start
        shot = base64.b64decode(browser.get_screenshot_as_base64())
        assert len(shot) > 10_000  # a drawn terminal, not an empty page
        (tmp_path / "browser.png").write_bytes(shot)
    finally:
        server.stop()
