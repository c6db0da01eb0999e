"""Fixtures for driving the built book (book/_build/html) in a real, offline Chromium.

Reuse them in any browser test (the helpers behind them are in bookbrowser.py):
- `site`: base URL of the built HTML, served on 127.0.0.1 by a threading HTTP server (session);
- `browser`: Debian's Chromium driven by PyPI playwright (session);
- `open_page(name, width=1280, query="") -> (page, report)`: a fresh page of `<name>.html[?query]` with the offline
  guard on; `report` collects every request to another host (aborted), every failed or 4xx/5xx
  request, console errors and uncaught page errors, and `report.problems()` lists what a test
  should fail on (after the short allow-list in bookbrowser.py). It keeps collecting while the
  test interacts with the page: assert on it at the end.

Without `make book` (no book/_build/html) or without /usr/bin/chromium the browser tests are
skipped with a loud reason, except under CI=true, where they fail.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from .bookbrowser import CHROMIUM, CHROMIUM_ARGS, HTML, IN_CI, VIEWPORT, guarded_page

SKIP_MARK = "browser test not run: "  # how our skips are told apart from any other skip


def require(condition: bool, reason: str) -> None:
    """Skip the calling test (fail it under CI=true) when `condition` is false."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(SKIP_MARK + reason)


def pytest_terminal_summary(terminalreporter) -> None:
    """Make skipped browser tests impossible to overlook.

    Read from the skip reports, not from a list the tests fill: under pytest-xdist the tests run
    in worker processes, and only their reports reach the process that prints this summary.
    """
    reasons = set()
    for report in terminalreporter.stats.get("skipped", []):
        message = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if SKIP_MARK in message:
            reasons.add(message.split(SKIP_MARK, 1)[1])
    if reasons:
        terminalreporter.section("BROWSER TESTS DID NOT RUN", sep="!", red=True, bold=True)
        for reason in sorted(reasons):
            terminalreporter.line(f"  {reason}", red=True)


@pytest.fixture(scope="session")
def built_html() -> Path:
    """book/_build/html, or skip (fail under CI) if `make book` has not run."""
    require((HTML / "index.html").exists(), f"no built book at {HTML}: run `make book` first")
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest's output clean
        pass


@pytest.fixture(scope="session")
def site(built_html: Path):
    """Base URL (ending in /) of built_html served on 127.0.0.1 at a free port."""
    handler = functools.partial(_QuietHandler, directory=str(built_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (never `playwright install`: no browser downloads here)."""
    require(CHROMIUM.exists(), f"{CHROMIUM} missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser, site):
    """Factory: open_page(name, width=1280, query="") -> (page, report) for `<name>.html?query`, offline-guarded."""
    contexts = []

    def _open(name: str, width: int = VIEWPORT["width"], query: str = ""):
        url = f"{site}{name}.html" + (f"?{query}" if query else "")
        context, page, report = guarded_page(browser, url, width)
        contexts.append(context)
        return page, report

    yield _open
    for context in contexts:
        context.close()
