"""Latency of the live explorer: a control changes -> the new figure is in the Image widget.

No browser: the value is set on the widget object in Python (what a comm message from the
front end does) and the clock stops when the worker has put the new PNG into `image.value`.
Also splits one update into training and drawing, and times the batched sweep of the Explore
page's phase diagram (the grid book/explore.ipynb trains, 3 seeds). Prints medians of several repeats, measured in this one run (goal: < 1 s per update
for the default config, 20 steps long, 250 optimizer steps).
"""
import statistics
import time

from labkit import TrainConfig, run_all, train
from labkit.phase_diagram import phase_configs, phase_data
from labkit.widgets import GradNormExplorer, figure_png, run_figure, train_one

REPEATS = 5
PHASE_LRS, PHASE_MAX_NORMS = (0.01, 0.05, 0.2, 1.0), (1.0, 5.0, 20.0, None)  # as in explore.ipynb


def median_time(fn, repeats: int = REPEATS) -> float:
    """Median wall time of `fn()` over `repeats` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    live = GradNormExplorer(TrainConfig())
    lrs = iter([0.05 + 0.001 * k for k in range(100)])  # a new setting each time: no cache hits

    def change_and_wait() -> None:
        before = bytes(live.image.value)
        live.controls["lr"].value = next(lrs)
        assert live.wait(120) and bytes(live.image.value) != before, live.status.value

    update = median_time(change_and_wait)
    config = TrainConfig(lr=0.05)
    batched = median_time(lambda: train_one(config))  # each sets its own thread count
    alone = median_time(lambda: train(config))
    result = train_one(config)
    drawing = median_time(lambda: figure_png(run_figure(result)))
    print(f"live widget, value change -> new figure: {update:.2f} s median of {REPEATS} "
          f"(goal < 1 s: {'met' if update < 1 else 'NOT met'})")
    print(f"  parts: train_one (batched code, what the widget uses) {batched:.2f} s, "
          f"figure -> PNG {drawing:.2f} s; labkit.train would take {alone:.2f} s "
          f"(ratio train_one / train = {batched / alone:.2f})")

    configs = phase_configs(PHASE_LRS, PHASE_MAX_NORMS, seeds=(0, 1, 2))
    start = time.perf_counter()
    phase_data(run_all(configs))
    print(f"Explore page phase diagram: {len(configs)} runs (L10, 1000 steps) trained and "
          f"summarised in {time.perf_counter() - start:.1f} s wall (batched by labkit.sweep)")

if __name__ == "__main__":
    main()
