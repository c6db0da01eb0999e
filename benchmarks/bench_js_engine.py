"""Time the in-browser trainer's JS engine (under node) against `labkit.train`, in one run.

Two settings the book uses: chapter 5's (length 10, lr 0.2, clip 1, 1000 steps) and the blog
post's (length 20, lr 0.2, clip 20, 250 steps). labkit runs in its default float32, the engine in
float64, both from the same initial weights and batch order. Each repeat alternates one labkit
run with one node process that runs the engine twice: cold (the first run in a fresh JS VM, as a
page's worker sees it) and warm (JIT-compiled). Prints medians and the ratios engine / labkit
(target <= 1.5), then the driver's time from a "start" message to its first records message.
"""
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from labkit import TrainConfig, train
from labkit.js_export import initial_state, js_config

ROOT = Path(__file__).resolve().parents[1]
REPLAY = ROOT / "tests" / "js" / "replay.mjs"
FIRST_RECORDS = ROOT / "tests" / "js" / "first_records.mjs"
SETTINGS = {
    "chapter 5 (L10, lr 0.2, clip 1, 1000 steps)": TrainConfig(length=10, lr=0.2, max_norm=1.0, epochs=200),
    "blog post (L20, lr 0.2, clip 20, 250 steps)": TrainConfig(length=20, lr=0.2, max_norm=20.0, epochs=50),
}


def engine_seconds(config: TrainConfig, folder: Path) -> tuple[float, float]:
    """(cold, warm) seconds of one engine run under node, timed inside node (no start-up, no I/O)."""
    job = {"config": js_config(config), **initial_state(config)}
    jobs, out = folder / "jobs.json", folder / "out.json"
    jobs.write_text(json.dumps([job, job]))
    subprocess.run(["node", str(REPLAY), str(jobs), str(out)], check=True)
    cold, warm = (r["seconds"] for r in json.loads(out.read_text()))
    return cold, warm


def labkit_seconds(config: TrainConfig) -> float:
    """Wall-clock seconds of `train(config)`."""
    start = time.perf_counter()
    train(config)
    return time.perf_counter() - start


def main(repeats: int = 3) -> None:
    if shutil.which("node") is None:
        sys.exit("bench_js_engine: needs node (Node 20) on PATH")
    print("JS engine (node, float64) vs labkit.train (torch, float32, 1 thread); medians of "
          f"{repeats} alternating repeats, measured in this one run (a busy machine inflates both)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, config in SETTINGS.items():
            labkit_seconds(config)  # warm-up: lazy imports, first-call allocations
            ours, cold, warm = [], [], []
            for _ in range(repeats):
                ours.append(labkit_seconds(config))
                c, w = engine_seconds(config, folder)
                cold.append(c)
                warm.append(w)
            a, c, w = (statistics.median(x) for x in (ours, cold, warm))
            print(f"{name}: labkit {a:.2f} s   engine cold {c:.2f} s, warm {w:.2f} s   "
                  f"ratio engine / labkit: cold {c / a:.2f}, warm {w / a:.2f}  (target <= 1.5)")
    latency = json.loads(subprocess.run(["node", str(FIRST_RECORDS)], check=True, capture_output=True,
                                        text=True).stdout)
    print(f"driver, 'start' -> first records message (L20, node): first run in a fresh worker "
          f"{latency['cold']:.1f} ms (data loaded), a later run {latency['warm']:.1f} ms  (target < 100 ms "
          f"from a control change to the first plotted point; the page's share is measured in the browser)")


if __name__ == "__main__":
    main()
