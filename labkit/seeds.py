"""The book's seeds, from one place: `book_seeds()` reads `LABKIT_SEEDS`.

Every notebook takes its seeds from here, so the whole book can be re-run on other seeds
(`make check-seeds SEEDS=7,8,9,10,11`). A claim stated generally must hold for any seeds; a
one-run demonstration uses `demo_seed()`, the first of them, and says "in this run".
"""
from __future__ import annotations

import os

DEFAULT_SEEDS = (0, 1, 2, 3, 4)
ENV = "LABKIT_SEEDS"


def book_seeds() -> list[int]:
    """The seeds named in `LABKIT_SEEDS` (comma-separated integers), else 0, 1, 2, 3, 4."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return list(DEFAULT_SEEDS)
    seeds = []
    for part in text.split(","):
        part = part.strip()
        if not part.lstrip("-").isdigit() or int(part) < 0:
            raise ValueError(f"{ENV} must be comma-separated non-negative integers, "
                             f"got {text!r} (bad entry {part!r})")
        seeds.append(int(part))
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"{ENV} lists a seed twice: {text!r}")
    return seeds


def demo_seed() -> int:
    """The seed of one-run demonstrations: the first of `book_seeds()`."""
    return book_seeds()[0]
