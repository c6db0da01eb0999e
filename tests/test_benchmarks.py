"""The benchmarks stay runnable: each imports cleanly and exposes main() (timing is not tested here)."""
import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).resolve().parents[1] / "benchmarks").glob("bench_*.py"))


@pytest.mark.parametrize("path", BENCHMARKS, ids=[p.stem for p in BENCHMARKS])
def test_benchmark_imports_and_has_main(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the timed work runs only under __main__
    assert callable(module.main)


def test_there_are_benchmarks():
    assert {p.stem for p in BENCHMARKS} >= {"bench_train", "bench_sweep", "bench_widget", "bench_js_engine"}
