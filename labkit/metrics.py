"""Classification accuracy accumulated over batches (update / accumulate / reset), and the
majority baseline every chapter compares with."""
from __future__ import annotations

from collections import Counter

import torch

from .data import digit_sum_splits


class Accuracy:
    """Fraction of examples whose arg-max logit equals the label."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        """Forget every batch seen so far."""
        self.correct, self.count = 0, 0

    def update(self, logits: torch.Tensor, labels: torch.Tensor) -> None:
        """Add one batch: logits [B, C], labels [B]."""
        if logits.dim() != 2 or labels.shape != logits.shape[:1]:
            raise ValueError(f"expected logits [B, C] and labels [B], got {tuple(logits.shape)} "
                             f"and {tuple(labels.shape)}")
        self.correct += int((logits.argmax(dim=1) == labels).sum())
        self.count += len(labels)

    def accumulate(self) -> float:
        """Accuracy over every batch since the last reset (0.0 before any batch)."""
        return self.correct / self.count if self.count else 0.0


def majority_baseline(length: int, split: str = "test", data_seed: int = 0) -> float:
    """Accuracy on `split` of always answering its most frequent sum (9: chapter 1's "always 9")."""
    splits = digit_sum_splits(length, data_seed)
    if split not in splits:
        raise ValueError(f"majority_baseline: split must be one of {list(splits)}, got {split!r}")
    labels = [label for _, label in splits[split]]
    return max(Counter(labels).values()) / len(labels)
