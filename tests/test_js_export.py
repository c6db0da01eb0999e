"""labkit's side of the in-browser trainer: the data file, the replay exports, float64 runs."""
import dataclasses

import pytest
import torch

from labkit import Callback, TrainConfig, digit_sum_splits, sweep, train
from labkit.data import LENGTHS
from labkit.js_export import TRAINER_DATA, dumps, encode_example, initial_state, js_config, trainer_data


def test_the_committed_data_file_is_what_labkit_writes_now():
    assert TRAINER_DATA.read_text(encoding="utf-8") == dumps(trainer_data()), \
        "book/_static/trainer/digit_sum.json is stale: run `python -m labkit.js_export`"


def test_the_data_file_is_small_and_holds_every_length():
    data = trainer_data()
    assert sorted(map(int, data["lengths"])) == sorted(LENGTHS)
    assert TRAINER_DATA.stat().st_size < 100_000


@pytest.mark.parametrize("digits, label, word", [
    ([3, 9, 0, 0, 7, 0], 12, "39047"),
    ([0, 0, 0, 0, 0], 0, "00020"),  # a zero noise digit: position 2 decodes to the same sequence
    ([1, 2] + [0] * 32 + [5], 3, "12345"),
])
def test_encode_example(digits, label, word):
    assert encode_example(digits, label) == word


@pytest.mark.parametrize("digits, label", [
    ([3, 9, 1, 0, 7], 12),  # two noise digits
    ([3, 9, 0, 0, 7], 11),  # label is not a + b
    ([3, 9], 12),           # too short
])
def test_encode_example_refuses_what_is_not_a_digit_sum_example(digits, label):
    with pytest.raises(ValueError, match="not a digit-sum example"):
        encode_example(digits, label)


class Capture(Callback):
    """Keeps the model's weights at the start and every batch the Runner trains on."""

    def __init__(self):
        self.start, self.batches = None, []

    def on_train_start(self, runner):
        self.start = {k: v.clone() for k, v in runner.model.state_dict().items()}

    def on_train_batch_start(self, runner, batch):
        self.batches.append(batch)


@pytest.mark.parametrize("shuffle", [True, False])
def test_initial_state_is_what_train_starts_from_and_the_batches_it_takes(shuffle):
    config = TrainConfig(length=5, epochs=3, seed=4, shuffle=shuffle, eval_steps=1000)
    capture = Capture()
    train(config, callbacks=[capture])
    state = initial_state(config)
    assert state["init"].keys() == capture.start.keys()
    for name, values in state["init"].items():
        assert torch.equal(torch.tensor(values, dtype=torch.float64).view_as(capture.start[name]),
                           capture.start[name].double()), name
    examples = digit_sum_splits(config.length, config.data_seed)["train"]
    tokens = torch.tensor([d for d, _ in examples])
    replayed = [tokens[torch.tensor(order[start:start + config.batch_size])]
                for order in state["order"] for start in range(0, len(examples), config.batch_size)]
    assert len(replayed) == len(capture.batches) == 15
    assert all(torch.equal(a, b) for a, (b, _) in zip(replayed, capture.batches))
    assert (state["order"][0] != state["order"][1]) == shuffle


def test_js_config_turns_epochs_into_steps_and_refuses_other_data_seeds():
    config = TrainConfig(length=10, epochs=200, max_norm=1.0)
    js = js_config(config)
    assert js["steps"] == 1000 and js["maxNorm"] == 1.0 and js["lossReduction"] == "sum"
    assert len(js) == 14  # every field the engine reads; dtype and data_seed have no JS counterpart
    with pytest.raises(ValueError, match="data_seed 0 only"):
        js_config(dataclasses.replace(config, data_seed=1))


def test_float64_runs_in_float64_and_other_dtypes_are_refused():
    result = train(TrainConfig(length=5, epochs=1, dtype="float64"))
    assert {p.dtype for p in result.model.parameters()} == {torch.float64}
    assert {p.dtype for p in train(TrainConfig(length=5, epochs=1)).model.parameters()} == {torch.float32}
    with pytest.raises(ValueError, match="dtype must be one of"):
        TrainConfig(dtype="float16")
    with pytest.raises(ValueError, match="float32 only"):
        sweep([TrainConfig(length=5, epochs=1, dtype="float64")])
