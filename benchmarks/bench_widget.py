"""Latency of the live explorer: a control changes -> the new figure is in the Image widget.

No browser: the value is set on the widget object in Python (what a comm message from the
front end does) and the clock stops when the worker has put the new PNG into `image.value`.
Also splits one update into training and drawing, and times the batched grid of the static
explorer. Prints medians of several repeats, measured in this one run (goal: < 1 s per update
for the default config, 20 steps long, 250 optimizer steps).
"""
import statistics
import time

from labkit import TrainConfig, train
from labkit.static_explorer import grid_configs, grid_points, run_grid
from labkit.widgets import GradNormExplorer, figure_png, run_figure, train_one

REPEATS = 5


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

    configs = grid_configs()
    start = time.process_time()
    results = run_grid(configs)
    trained = time.process_time() - start
    start = time.process_time()
    grid_points(results)
    drawn = time.process_time() - start
    print(f"static explorer grid: {len(configs)} runs trained in {trained:.1f} s CPU (batched), "
          f"{len(configs)} figures drawn in {drawn:.1f} s CPU")


if __name__ == "__main__":
    main()
