"""The digit-sum data: generation, files, loading, validation, batching."""
import collections

import pytest
import torch

from labkit import (LENGTHS, DigitSumDataset, TensorBatches, digit_sum_splits, generate_digit_sum,
                    load_digit_sum, write_digit_sum)


def test_generate_covers_every_pair_k_times_with_one_noise_digit():
    examples = generate_digit_sum(length=10, k=3, seed=0)
    assert len(examples) == 300
    pairs = collections.Counter((d[0], d[1]) for d, _ in examples)
    assert set(pairs) == {(a, b) for a in range(10) for b in range(10)} and set(pairs.values()) == {3}
    for digits, label in examples:
        assert len(digits) == 10 and label == digits[0] + digits[1]
        assert sum(1 for d in digits[2:] if d != 0) <= 1  # the noise digit may itself be 0


def test_noise_lands_on_every_position_from_2():
    positions = {next((i for i, d in enumerate(ds) if i >= 2 and d), None)
                 for ds, _ in generate_digit_sum(length=5, k=20, seed=1)}
    assert positions - {None} == {2, 3, 4}


def test_same_seed_same_data_other_seed_other_data():
    assert generate_digit_sum(20, 3, seed=7) == generate_digit_sum(20, 3, seed=7)
    assert generate_digit_sum(20, 3, seed=7) != generate_digit_sum(20, 3, seed=8)


def test_splits_have_nndl_sizes_and_differ():
    splits = digit_sum_splits(20, seed=0)
    assert {k: len(v) for k, v in splits.items()} == {"train": 300, "dev": 100, "test": 100}
    assert splits["dev"] != splits["test"]


def test_write_then_load_round_trip_is_identical(tmp_path):
    write_digit_sum(tmp_path / "a", seed=3)
    write_digit_sum(tmp_path / "b", seed=3)
    for length in LENGTHS:
        for split, size in (("train", 300), ("dev", 100), ("test", 100)):
            a = (tmp_path / "a" / str(length) / f"{split}.txt").read_bytes()
            assert a == (tmp_path / "b" / str(length) / f"{split}.txt").read_bytes()
            examples = load_digit_sum(tmp_path / "a" / str(length) / f"{split}.txt")
            assert examples == digit_sum_splits(length, seed=3)[split] and len(examples) == size
    first = (tmp_path / "a" / "5" / "train.txt").read_text().splitlines()[0]
    assert first.count("\t") == 1 and len(first.split("\t")[0].split(" ")) == 5


@pytest.mark.parametrize("line, problem", [
    ("1 2 0 x 0\t3", "'x' is not a single digit"),
    ("1 2 0 0 0 3", "missing tab"),
    ("1 2 0 0 0\t4", "not the sum of the first two digits"),
    ("9 9 0 0 0\t19", "outside 0..18"),
    ("1 2 0 0 0\tthree", "not a whole number"),
    ("1 2 0 0\t3", "has 4 digits"),
    ("1 2 0 12 0\t3", "'12' is not a single digit"),
])
def test_malformed_line_names_file_line_and_problem(tmp_path, line, problem):
    path = tmp_path / "bad.txt"
    path.write_text("3 4 0 0 0\t7\n" + line + "\n")
    with pytest.raises(ValueError) as error:
        load_digit_sum(path)
    assert f"bad.txt:2" in str(error.value) and problem in str(error.value)


def test_empty_file_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_text("\n")
    with pytest.raises(ValueError, match="no examples"):
        load_digit_sum(tmp_path / "empty.txt")


def test_bad_generation_arguments():
    with pytest.raises(ValueError, match="length"):
        generate_digit_sum(2, 1, 0)
    with pytest.raises(ValueError, match="k must"):
        generate_digit_sum(5, 0, 0)


def test_dataset_gives_long_tensors():
    seq, label = DigitSumDataset([([1, 2, 0], 3)])[0]
    assert seq.dtype == label.dtype == torch.long and seq.shape == (3,) and label.shape == ()


def test_tensor_batches_match_dataloader_and_shuffle_reproducibly():
    examples = generate_digit_sum(5, 3, seed=0)
    plain = list(TensorBatches(examples, 64))
    loader = torch.utils.data.DataLoader(DigitSumDataset(examples), batch_size=64)
    assert len(plain) == len(loader) == 5
    for (x, y), (x2, y2) in zip(plain, loader):
        assert torch.equal(x, x2) and torch.equal(y, y2)
    one, two = TensorBatches(examples, 64, shuffle=True, seed=4), TensorBatches(examples, 64, shuffle=True, seed=4)
    epoch1, epoch2 = [y for _, y in one], [y for _, y in one]
    assert not torch.equal(torch.cat(epoch1), torch.cat(epoch2))  # a new order every epoch
    assert all(torch.equal(a, b) for a, b in zip(epoch1, [y for _, y in two]))
    assert sorted(torch.cat(epoch1).tolist()) == sorted(label for _, label in examples)


GOOD = "3 4 0 0 0\t7\n"


@pytest.mark.parametrize("name, data, line, problem", [
    ("binary", b"\x00\x9f\x92\x96\xff\x00\x01" * 20, 1, "not UTF-8 text"),
    ("latin-1", (GOOD + "1 2 0 0 0\t3 caf\xe9\n").encode("latin-1"), 2, "not UTF-8 text"),
    ("UTF-16", (GOOD + GOOD).encode("utf-16"), 1, "UTF-16"),
    ("NUL byte", (GOOD + "1 2 0 0 0\t3\x00\n").encode(), 2, "NUL"),
    ("superscript two", (GOOD + "1 \u00b2 0 0 0\t3\n").encode(), 2, "not a single digit 0-9"),
    ("arabic-indic three", (GOOD + "1 \u0663 0 0 0\t4\n").encode(), 2, "not a single digit 0-9"),
    ("full-width three", (GOOD + "1 \uff13 0 0 0\t4\n").encode(), 2, "not a single digit 0-9"),
    ("full-width label", (GOOD + "1 3 0 0 0\t\uff14\n").encode(), 2, "not a whole number"),
    ("5000-digit label", (GOOD + "1 3 0 0 0\t" + "9" * 5000 + "\n").encode(), 2, "outside 0..18"),
    ("10 MB token", (GOOD + "1 3 0 " + "5" * 10_000_000 + " 0\t4\n").encode(), 2, "longer than"),
    ("50 kB token", (GOOD + "1 3 0 " + "5" * 50_000 + " 0\t4\n").encode(), 2, "not a single digit 0-9"),
])
def test_hostile_files_give_a_short_error_naming_file_and_line(tmp_path, name, data, line, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ValueError) as error:
        load_digit_sum(path)
    message = str(error.value)
    assert message.startswith(f"{path}:{line}: ") and problem in message
    assert len(message) < len(str(path)) + 160, message  # echoed text is truncated


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_only_newlines_start_a_new_line(tmp_path, separator):
    """str.splitlines() also splits on these; an editor does not, so neither does the error's line number."""
    path = tmp_path / "bad.txt"
    path.write_text(GOOD + "1 2 0 0 0\t3" + separator + "1 2 0 0 0\t3\n" + "1 2 0 0 0\t4\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"bad.txt:2: "):
        load_digit_sum(path)


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_every_newline_convention_counts_lines_alike(tmp_path, ending):
    path = tmp_path / "bad.txt"
    path.write_bytes(ending.join([GOOD.strip(), "", "1 2 0 0 0\t3", "1 2 0 0 0\t4", ""]).encode())
    with pytest.raises(ValueError, match=r"bad.txt:4: label 4 is not the sum"):
        load_digit_sum(path)


def test_a_utf8_bom_and_stray_spaces_are_accepted(tmp_path):
    path = tmp_path / "ok.txt"
    path.write_bytes("\ufeff3 4 0 0 0\t7\n 1  2 0 0 0 \t 3 \r\n\n   \n9 9 0 0 0\t18".encode())
    assert load_digit_sum(path) == [([3, 4, 0, 0, 0], 7), ([1, 2, 0, 0, 0], 3), ([9, 9, 0, 0, 0], 18)]


def test_a_huge_line_is_not_read_whole_into_memory(tmp_path):
    import tracemalloc
    path = tmp_path / "huge.txt"
    path.write_bytes(GOOD.encode() + b"5" * 30_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="huge.txt:2: "):
            load_digit_sum(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3_000_000, f"peak {peak / 1e6:.1f} MB for a 30 MB line"


@pytest.mark.parametrize("split", ["train", "dev", "test"])
def test_a_data_folder_of_another_length_is_refused(tmp_path, split):
    from labkit import TrainConfig
    from labkit.training import load_splits
    write_digit_sum(tmp_path, length=20)
    write_digit_sum(tmp_path / "short", length=10)
    (tmp_path / "short" / "10" / f"{split}.txt").replace(tmp_path / "20" / f"{split}.txt")
    with pytest.raises(ValueError, match=rf"20/{split}.txt:1: sequence has 10 digits, expected 20"):
        load_splits(TrainConfig(length=20), tmp_path)
    assert load_digit_sum(tmp_path / "20" / f"{split}.txt", length=10)[0][0][:2] == [0, 0]
