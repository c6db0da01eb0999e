"""Latency of the in-browser trainer: a control changes -> the new run's first point is on the chart.

Drives the built Explore page (book/_build/html, or BOOK_HTML) in headless Chromium. The page
itself measures, from the control's event (performance.now() in its handler) to the animation
frame after the first records were drawn, and writes it to `data-first-point-ms`. A slider
change includes the page's 40 ms debounce; a menu change has none. Prints medians of several
changes measured in this one run (goal: < 100 ms).
"""
import functools
import http.server
import os
import statistics
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "book" / "_build" / "html"))
REPEATS = 9


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A quiet HTTP server for `directory` on 127.0.0.1; returns (server, base URL)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def first_point_ms(page, change) -> float:
    """Make one change; the page's own time from the change to its first plotted point."""
    run = page.evaluate("() => +document.querySelector('.rnn-trainer').dataset.runId")
    page.evaluate("() => { delete document.querySelector('.rnn-trainer').dataset.firstPointMs; }")
    change()
    page.wait_for_function(
        f"() => {{ const r = document.querySelector('.rnn-trainer');"
        f" return +r.dataset.runId > {run} && r.dataset.firstPointMs !== undefined; }}", timeout=60_000)
    return float(page.evaluate("() => document.querySelector('.rnn-trainer').dataset.firstPointMs"))


def main() -> None:
    from playwright.sync_api import sync_playwright

    if not (HTML / "explore.html").exists():
        raise SystemExit(f"no built Explore page at {HTML}: run `make book` first")
    server, base = serve(HTML)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{base}explore.html?steps=250&L=10")
        page.wait_for_function("() => +(document.querySelector('.rnn-trainer').dataset.step || 0) > 0", timeout=60_000)
        seeds = iter(range(1, 1000))
        menu = [first_point_ms(page, lambda: (page.fill(".rnn-trainer [data-role=seed]", str(next(seeds))),
                                              page.press(".rnn-trainer [data-role=seed]", "Enter")))
                for _ in range(REPEATS)]
        page.focus(".rnn-trainer [data-role=lr]")
        slider = [first_point_ms(page, lambda: page.keyboard.press("ArrowLeft")) for _ in range(REPEATS)]
        browser.close()
    server.shutdown()
    for name, times in (("seed (no debounce)", menu), ("lr slider (40 ms debounce)", slider)):
        median = statistics.median(times)
        print(f"control change -> first plotted point, {name}: {median:.0f} ms median of {REPEATS} "
              f"(min {min(times):.0f}, max {max(times):.0f}; goal < 100 ms: {'met' if median < 100 else 'NOT met'})")


if __name__ == "__main__":
    main()
