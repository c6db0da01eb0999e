"""Helpers for the browser tests: where the built book is, its pages, an offline-guarded page.

`guarded_page` opens a URL in a fresh browser context in which every request to a host other
than 127.0.0.1 is aborted and recorded, and collects failed requests, console errors and page
errors in a `PageReport`. The fixtures built on it are in conftest.py; the checks are in the
test modules.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
# The build to test; BOOK_HTML=/path/to/html tests another build of the same sources.
HTML = Path(os.environ.get("BOOK_HTML", BOOK / "_build" / "html"))
SCREENSHOTS = HTML.parent / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",                      # we run as root
    "--disable-gpu",
    "--disable-background-networking",   # without these Chromium phones Google hosts
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
IN_CI = os.environ.get("CI", "").lower() == "true"

# Console messages / page errors that are known and harmless. Keep it short, say why.
# (Empty: the duplicate THEBE_JS_URL declaration is fixed in book/_ext/inline_js_once.py.)
ALLOWED_ERRORS: list[re.Pattern] = []


def toc_pages() -> list[str]:
    """Document names in book/_toc.yml, in reading order (root first), without suffix."""
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf8"))
    names = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections", []))

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return [n.rsplit(".", 1)[0] if n.endswith((".md", ".ipynb")) else n for n in names]


def is_notebook(name: str) -> bool:
    """True if the page is built from a .ipynb chapter."""
    return (BOOK / f"{name}.ipynb").exists()


@dataclass
class PageReport:
    """What happened while a page loaded and ran."""

    url: str
    status: int | None = None
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def errors(self) -> list[str]:
        """Console and page errors not on the allow-list."""
        msgs = ([f"console: {m}" for m in self.console_errors]
                + [f"pageerror: {m}" for m in self.page_errors])
        return [m for m in msgs if not any(rx.search(m) for rx in ALLOWED_ERRORS)]

    def problems(self) -> list[str]:
        """Everything a page must not do: external requests, failed loads, errors."""
        return ([f"external request (aborted): {u}" for u in self.external_requests]
                + [f"failed request: {r}" for r in self.failed_requests] + self.errors())


def is_local(url: str) -> bool:
    """True for 127.0.0.1 and for in-page URLs (data:, blob:, about:)."""
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname == "127.0.0.1"


def guarded_page(browser, url: str, width: int = VIEWPORT["width"]):
    """Open `url` in a new context with the offline guard; return (context, page, report).

    Returns once the page has fired `load` and the network has been idle for 500 ms; the
    report keeps collecting after that. The caller closes `context`.
    """
    context = browser.new_context(viewport={"width": width, "height": VIEWPORT["height"]})
    page = context.new_page()
    report = PageReport(url=url)

    def guard(route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            report.external_requests.append(route.request.url)
            route.abort("blockedbyclient")

    def on_console(msg) -> None:
        if msg.type == "error":
            report.console_errors.append(f"{msg.text} [{msg.location.get('url', '')}]")

    def on_failed(request) -> None:
        if is_local(request.url):  # external ones are already in external_requests
            report.failed_requests.append(f"{request.url} ({request.failure})")

    def on_response(response) -> None:
        if response.status >= 400:
            report.failed_requests.append(f"{response.url} (HTTP {response.status})")

    context.route("**/*", guard)
    page.on("console", on_console)
    page.on("pageerror", lambda err: report.page_errors.append(str(err)))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    response = page.goto(url, wait_until="load")
    report.status = response.status if response else None
    settle(page)
    return context, page, report


def settle(page) -> None:
    """Wait for the network to go idle (at most 5 s), then for the fonts the page asked for.

    MathJax fetches its fonts after "load". Chromium does not always report the network idle (the
    cliff page, now and then, under Playwright, with no request pending): that is no failure by
    itself, and each test waits for exactly what it checks; `document.fonts.ready` then covers
    the fonts, so screenshots never show fallback glyphs.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except PlaywrightTimeoutError:
        pass
    page.evaluate("() => document.fonts.ready.then(() => true)")
