"""The NNDL digit-sum task: generate, write, load and batch it.

A sequence of `length` digits holds two digits a, b at positions 0 and 1 and zeros elsewhere,
except for one random noise digit at a random position >= 2. The label is a + b (0..18), so the
answer sits at the very start of the sequence and the network must carry it to the end.
This module is data only: no model, no training.
"""
from __future__ import annotations

import itertools
import os
import random
from collections.abc import Iterator
from pathlib import Path

import torch
from torch.utils.data import Dataset

from .messages import short_repr, shorten

LENGTHS = (5, 10, 15, 20, 25, 30, 35)
NUM_DIGITS = 10
NUM_CLASSES = 19
SPLITS = {"train": 3, "dev": 1, "test": 1}  # split -> augmentation factor k
ASCII_DIGITS = frozenset("0123456789")
MAX_LINE_CHARS = 100_000  # longer lines are refused without being read whole

Example = tuple[list[int], int]


def generate_digit_sum(length: int, k: int, seed: int) -> list[Example]:
    """All 100 (a, b) pairs, each with k noisy copies: a random digit at a random position >= 2."""
    if length < 3:
        raise ValueError(f"length must be >= 3 (two answer digits + room for noise), got {length}")
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    rng = random.Random(seed)
    examples = []
    for a in range(NUM_DIGITS):
        for b in range(NUM_DIGITS):
            for _ in range(k):
                digits = [a, b] + [0] * (length - 2)
                digits[rng.randrange(2, length)] = rng.randrange(NUM_DIGITS)
                examples.append((digits, a + b))
    return examples


def digit_sum_splits(length: int, seed: int = 0) -> dict[str, list[Example]]:
    """The train/dev/test splits (300/100/100 examples) for one length, in memory."""
    return {
        split: generate_digit_sum(length, k, seed=seed * 1000 + length * 10 + i)
        for i, (split, k) in enumerate(SPLITS.items())
    }


def write_digit_sum(directory: str | os.PathLike, length: int | None = None, seed: int = 0) -> Path:
    """Write `<directory>/<length>/{train,dev,test}.txt` in the NNDL format, for one or all lengths."""
    directory = Path(directory)
    for L in LENGTHS if length is None else (length,):
        out = directory / str(L)
        out.mkdir(parents=True, exist_ok=True)
        for split, examples in digit_sum_splits(L, seed).items():
            lines = (" ".join(map(str, digits)) + f"\t{label}\n" for digits, label in examples)
            (out / f"{split}.txt").write_text("".join(lines), encoding="utf-8")
    return directory


def _parse_line(line: str, where: str) -> Example:
    """One `d d d ...\tlabel` line -> (digits, label), or a short ValueError naming `where`.

    Digits and label are ASCII only: `str.isdigit` and `int` would also take '²', '٣' or '３'.
    """
    bad_byte = next((i for i, c in enumerate(line) if "\udc80" <= c <= "\udcff"), None)  # undecodable bytes
    if bad_byte is not None:
        raise ValueError(f"{where}: not UTF-8 text (byte 0x{ord(line[bad_byte]) - 0xdc00:02x} at column "
                         f"{bad_byte + 1}); save the file as UTF-8")
    if "\0" in line:
        raise ValueError(f"{where}: NUL byte at column {line.index(chr(0)) + 1}: this is not a text file")
    if "\t" not in line:
        raise ValueError(f"{where}: missing tab between the digits and the label")
    seq_text, label_text = line.split("\t", 1)
    tokens = [t for t in seq_text.split(" ") if t]  # stray spaces are fine
    bad = next((t for t in tokens if t not in ASCII_DIGITS), None)
    if bad is not None:
        hint = " (a non-ASCII digit)" if bad.isdigit() and not bad.isascii() else ""
        raise ValueError(f"{where}: token {short_repr(bad)} is not a single digit 0-9{hint}")
    label_text = label_text.strip(" ")
    if not (label_text.isascii() and label_text.isdigit()):
        raise ValueError(f"{where}: label {short_repr(label_text)} is not a whole number")
    if len(label_text.lstrip("0")) > 2 or int(label_text) >= NUM_CLASSES:  # no int() of a 5000-digit label
        raise ValueError(f"{where}: label {shorten(label_text)} is outside 0..{NUM_CLASSES - 1}")
    digits, label = [int(t) for t in tokens], int(label_text)
    if len(digits) < 2:
        raise ValueError(f"{where}: a sequence needs at least two digits, got {len(digits)}")
    if label != digits[0] + digits[1]:
        raise ValueError(f"{where}: label {label} is not the sum of the first two digits "
                         f"({digits[0]} + {digits[1]} = {digits[0] + digits[1]})")
    return digits, label


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line, read one at a time; ValueError for UTF-16 or an endless line.

    Lines end at \\n, \\r\\n or \\r only, as in an editor: a form feed, \\x1c or \\u2028 is not a line
    break (`str.splitlines` would split there). A UTF-8 byte-order mark is skipped; bytes that are not
    UTF-8 come through as surrogates for `_parse_line` to report.
    """
    with path.open("rb") as raw:
        if raw.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            raise ValueError(f"{path}:1: the file is UTF-16 text; save it as UTF-8")
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline=None) as file:
        for number in itertools.count(1):
            line = file.readline(MAX_LINE_CHARS + 1)
            if not line:
                return
            if not line.endswith("\n") and len(line) > MAX_LINE_CHARS:
                raise ValueError(f"{path}:{number}: line is longer than {MAX_LINE_CHARS} characters "
                                 f"(a digit-sum line has a few dozen)")
            yield number, line.rstrip("\n")


def load_digit_sum(path: str | os.PathLike, length: int | None = None) -> list[Example]:
    """Read a digit-sum file; any malformed line raises a short ValueError naming `file:line`.

    With `length`, every sequence must have that many digits; without, as many as the first one.
    """
    path = Path(path)
    examples: list[Example] = []
    for number, line in _lines(path):
        if not line.strip(" \t"):
            continue
        where = f"{path}:{number}"
        digits, label = _parse_line(line, where)
        if length is not None and len(digits) != length:
            raise ValueError(f"{where}: sequence has {len(digits)} digits, expected {length}")
        if examples and len(digits) != len(examples[0][0]):
            raise ValueError(f"{where}: sequence has {len(digits)} digits, "
                             f"but the file's earlier lines have {len(examples[0][0])}")
        examples.append((digits, label))
    if not examples:
        raise ValueError(f"{path}: no examples in file")
    return examples


class DigitSumDataset(Dataset):
    """Examples as `(LongTensor[T], LongTensor[])` pairs for a torch DataLoader."""

    def __init__(self, examples: list[Example]):
        self.examples = examples

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        digits, label = self.examples[index]
        return torch.tensor(digits, dtype=torch.long), torch.tensor(label, dtype=torch.long)


class TensorBatches:
    """A light DataLoader: all examples stacked once, batches cut by index (optionally shuffled).

    Yields `(tokens [B, T], labels [B])`. Shuffling uses its own `torch.Generator` seeded with
    `seed`, so two loaders with the same seed give the same batch order.
    """

    def __init__(self, examples: list[Example], batch_size: int, shuffle: bool = False, seed: int = 0):
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.tokens = torch.tensor([digits for digits, _ in examples], dtype=torch.long)  # [N, T]
        self.labels = torch.tensor([label for _, label in examples], dtype=torch.long)  # [N]
        self.batch_size, self.shuffle = batch_size, shuffle
        self.generator = torch.Generator().manual_seed(seed)

    def __len__(self) -> int:
        return -(-len(self.labels) // self.batch_size)

    def __iter__(self):
        n = len(self.labels)
        order = torch.randperm(n, generator=self.generator) if self.shuffle else torch.arange(n)
        for start in range(0, n, self.batch_size):
            index = order[start:start + self.batch_size]
            yield self.tokens[index], self.labels[index]
