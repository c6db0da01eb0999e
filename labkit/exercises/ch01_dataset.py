"""Exercises for chapter 1 (the digit-sum data): predict a half-memory baseline, write a one-hot
embedding.

Each check runs the student's answer against labkit, prints kind feedback and returns True/False.
Not a place for solutions: the worked solutions live in the book, in collapsed cells.
"""
from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable

import torch
import torch.nn.functional as F

from ..data import NUM_DIGITS, digit_sum_splits
from ._feedback import Fail, judge, report
from ._guard import DEFAULT_TIME_LIMIT, Budget, Rules, student
from ._values import as_letter, as_tensor, valid_length, valid_time_limit

FIRST_DIGIT_OPTIONS = {"A": 0.05, "B": 0.10, "C": 0.50, "D": 0.95}
FIRST_DIGIT_HINT = ("fix a = 3. Which sums a + b are then possible, and how often does each "
                    "occur if b is any digit? How often would the best single guess be right?")


def first_digit_only_accuracy(length: int = 10, seed: int = 0) -> float:
    """Dev accuracy of the best guess from d_1 alone: for each a, the most common training label."""
    splits = digit_sum_splits(length, seed)
    by_a: dict[int, Counter] = {}
    for digits, label in splits["train"]:
        by_a.setdefault(digits[0], Counter())[label] += 1
    guess = {a: counts.most_common(1)[0][0] for a, counts in by_a.items()}
    return sum(guess[digits[0]] == label for digits, label in splits["dev"]) / len(splits["dev"])


def check_first_digit_only(prediction: str, length: int = 10, reveal: bool = False) -> bool:
    """Predict the dev accuracy of the best classifier that remembers d_1 = a but forgets b."""
    def run() -> str:
        letter = as_letter(prediction, "".join(FIRST_DIGIT_OPTIONS))
        accuracy = first_digit_only_accuracy(valid_length(length))
        answer = min(FIRST_DIGIT_OPTIONS, key=lambda k: abs(FIRST_DIGIT_OPTIONS[k] - accuracy))
        why = (f"measured at length {length}: guessing from a alone (for each a, the most common "
               f"training label) scores {accuracy:.0%} on dev. For a fixed a the ten sums a+0, "
               f"..., a+9 are equally likely, so knowing a is worth no more than always answering "
               f"9. Half the information buys nothing: the network must carry both digits.")
        return judge(letter, answer, why, FIRST_DIGIT_HINT, reveal is True,
                     "ex.check_first_digit_only(..., reveal=True)")
    return report("remembering only the first digit", run)


def _embedding_case(i: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Case i of (tokens [B, T], table [10, D]); case 1 has no digit above 4. Same seed, same case."""
    gen = torch.Generator().manual_seed(seed)
    table = torch.randn(NUM_DIGITS, 6, generator=gen, dtype=torch.float64).float()  # [10, D]
    full = torch.randperm(NUM_DIGITS, generator=gen).reshape(2, 5)  # every digit appears
    small = torch.randint(0, 5, (3, 4), generator=gen)  # digits 0..4 only
    return ((full, table), (small, table))[i]


LOOKUPS = {torch.Tensor.__getitem__, torch.Tensor.index_select, torch.index_select,
           torch.Tensor.gather, torch.gather, torch.Tensor.take, torch.take, torch.embedding,
           F.embedding, torch.Tensor.index_put_}


def _lookup_rules(table: torch.Tensor) -> Rules:
    """Refuse labkit and any lookup of rows of `table` (indexing, index_select, embedding, ...)."""
    def refuse(func, args) -> str | None:
        tensors = [a for a in args if type(a) in (torch.Tensor, torch.nn.Parameter)]
        if func in LOOKUPS and any(t.shape == table.shape and torch.equal(t.detach(), table)
                                   for t in tensors):
            return f"a row lookup in the table ({getattr(func, '__name__', 'indexing')})"
        return None
    return Rules(python=(F.embedding,), builtin=(torch.embedding,), op=refuse,
                 reference="labkit and any lookup of the table's rows (table[tokens], "
                           "F.embedding, index_select, gather)")


EMBED_HINTS = {
    "dtype": "one_hot returns integers (int64); convert with .float() or .to(table.dtype) "
             "before the matrix product.",
    "cannot be multiplied": "without num_classes=10, one_hot sizes the code by the largest digit "
                            "in this batch; pass num_classes=10 so every batch gets 10 columns.",
}


def check_embed_one_hot(fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                        time_limit: float = DEFAULT_TIME_LIMIT, seed: int | None = None) -> bool:
    """Check `fn(tokens [B, T], table [10, D]) -> [B, T, D]` against the lookup `table[tokens]`.

    The cases are drawn afresh on every call unless `seed` is given."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    def run() -> str:
        budget = Budget(valid_time_limit(time_limit))
        for i in range(2):
            tokens, table = _embedding_case(i, seed)
            rules = _lookup_rules(_embedding_case(i, seed)[1])
            out = as_tensor(student(fn, (tokens, table), budget, rules, EMBED_HINTS),
                            "the embedding")
            tokens, table = _embedding_case(i, seed)  # afresh: the reference is made after the call
            expected = table[tokens].double()  # [B, T, D]
            if out.shape != expected.shape:
                raise Fail(f"for tokens of shape {tuple(tokens.shape)} and a table of shape "
                           f"{tuple(table.shape)} the result should have shape "
                           f"{tuple(expected.shape)} = [B, T, D]; yours has {tuple(out.shape)}.")
            if not torch.allclose(out, expected, atol=1e-6):
                raise Fail(f"the shape is right but the values differ (largest difference "
                           f"{(out - expected).abs().max():.3g}). Row t of one_hot(tokens) @ table "
                           f"should be the table row of digit tokens[t].")
        return ("one_hot(tokens) @ table equals the lookup table[tokens]: an embedding layer is a "
                "linear layer applied to one-hot codes, stored as a lookup for speed.")
    return report("one-hot embedding", run)
