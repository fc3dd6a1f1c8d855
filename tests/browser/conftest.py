"""Browser tests: serve the app with ``multivector app`` on a free port on 127.0.0.1, drive it with
Playwright in Debian's Chromium, fail on any HTTP status >= 400 or browser console error, and save
screenshots to ``tests/artifacts/``.

The offline asset cache must be in the environment before anything imports solara:
``bash tests/run`` seeds it and exports ``SOLARA_ASSETS_PROXY_CACHE_DIR``.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from multivector.experiments.app.cli import server_environment
from servers import stop_server

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = os.environ.get("MULTIVECTOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_http_200(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited with {process.returncode}; log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the app server gave no HTTP 200 within {SERVER_START_TIMEOUT_S} s; log:\n"
                       f"{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def app_url(artifacts, tmp_path_factory):
    """The served app's address; the server is stopped by its PID afterwards. Its sweep root is
    pytest's temporary folder, so every test's ``tmp_path`` lies under it."""
    port = _free_port()
    server_environment(sweep=None)  # fails here, saying how to seed it, if the asset cache is missing
    command = [str(Path(sys.executable).with_name("multivector")), "app", "--host", "127.0.0.1", "--port", str(port),
               "--sweep-root", str(tmp_path_factory.getbasetemp())]
    log = artifacts / "app-server.log"
    with open(log, "w") as output:
        # `multivector app` execs the solara server, so this PID is the server's.
        process = subprocess.Popen(command, stdout=output,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_http_200(url, process, log)
        yield url
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright: Debian's Chromium (Playwright's own browser download is unavailable)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"{CHROMIUM} is missing: run 'bash tests/run', which installs Debian's chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1500, "height": 1000}}


class PageProblems:
    """HTTP statuses >= 400, console errors and uncaught page errors seen by one page."""

    def __init__(self, page):
        self.items: list[str] = []
        page.on("response", lambda r: self.items.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
        page.on("console", lambda m: self.items.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.items.append(f"page error: {e}"))

    def check(self) -> None:
        assert not self.items, "the page reported problems:\n" + "\n".join(self.items)


@pytest.fixture
def watch():
    """``watch(page)`` starts recording a page's problems; the test fails on any at teardown."""
    watched: list[PageProblems] = []

    def start(page) -> PageProblems:
        problems = PageProblems(page)
        watched.append(problems)
        return problems

    yield start
    for problems in watched:
        problems.check()
