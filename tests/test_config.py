"""TrainConfig refuses wrong types and out-of-range values at construction, naming the field."""
import dataclasses
import json
import math

import numpy as np
import pytest
import torch

from labkit import TrainConfig, clip_gradients

SEED_MAX = 2**63 - 1  # the largest seed: a signed 64-bit int, which every torch.Generator accepts


@pytest.mark.parametrize("field, value", [
    ("epochs", 2.5), ("epochs", 2.0), ("batch_size", True), ("seed", "0"), ("data_seed", 1.0),
    ("shuffle", "no"), ("shuffle", 1), ("lr", True), ("lr", "0.1"), ("lr", torch.tensor(0.1)),
    ("epochs", torch.tensor(3)), ("max_norm", np.bool_(True)), ("max_norm", "1"), ("length", 20.0),
    ("optimizer", ["sgd"]), ("init", None), ("hidden_size", None), ("lr", 1 + 0j)])
def test_wrong_type_is_a_type_error_naming_the_field(field, value):
    with pytest.raises(TypeError, match=rf"TrainConfig: {field} must be"):
        TrainConfig(**{field: value})


@pytest.mark.parametrize("field, value, message", [
    ("lr", math.inf, "lr must be > 0 and finite"), ("lr", math.nan, "lr must be > 0 and finite"),
    ("lr", -math.inf, "lr must be > 0 and finite"), ("max_norm", math.inf, "max_norm must be > 0 and finite"),
    ("max_norm", math.nan, "max_norm must be > 0 and finite"),
    ("seed", -1, "seed must be"), ("seed", SEED_MAX + 1, "seed must be"), ("seed", 2**64, "seed must be"),
    ("data_seed", -5, "data_seed must be"), ("epochs", 10**9, "epochs must be"),
    ("batch_size", 10**12, "batch_size must be"), ("hidden_size", 10**6, "hidden_size must be"),
    ("input_size", 0, "input_size must be"), ("eval_steps", -1, "eval_steps must be"),
    ("length", 7, "length must be one of"), ("dtype", "float16", "dtype must be one of"),
    ("clip_mode", "GLOBAL", "clip_mode must be one of")])
def test_out_of_range_is_a_value_error_naming_the_field(field, value, message):
    with pytest.raises(ValueError, match=f"TrainConfig: {message}"):
        TrainConfig(**{field: value})


def test_numpy_numbers_are_accepted_and_stored_as_python_numbers():
    config = TrainConfig(epochs=np.int64(3), batch_size=np.int32(8), lr=np.float32(0.25), max_norm=np.float64(2),
                         seed=np.uint64(SEED_MAX), shuffle=np.bool_(False), length=np.int16(10))
    assert (config.epochs, config.batch_size, config.lr, config.max_norm, config.seed, config.shuffle, config.length) \
        == (3, 8, 0.25, 2.0, SEED_MAX, False, 10)
    assert [type(v) for v in (config.epochs, config.lr, config.seed, config.shuffle)] == [int, float, int, bool]
    assert json.loads(json.dumps(config.to_dict()))["epochs"] == 3  # np.int64 would not serialise


def test_ints_are_accepted_for_float_fields_and_the_extremes_of_the_ranges():
    config = TrainConfig(lr=1, max_norm=5, seed=0, data_seed=SEED_MAX, dtype="float64")
    assert type(config.lr) is type(config.max_norm) is float and config.clip == ("global", 5.0)
    assert torch.Generator().manual_seed(config.data_seed).initial_seed() == SEED_MAX


def test_replace_is_validated_too():
    with pytest.raises(TypeError, match="epochs"):
        dataclasses.replace(TrainConfig(), epochs=3.5)


@pytest.mark.parametrize("max_norm", [None, math.inf, math.nan, 0.0, -1.0, True, "1", torch.tensor(1.0)])
def test_clip_gradients_and_config_give_the_same_error_for_a_bad_max_norm(max_norm):
    params = [torch.nn.Parameter(torch.ones(3))]
    params[0].grad = torch.ones(3)
    with pytest.raises((TypeError, ValueError)) as clip_error:
        clip_gradients(params, "global", max_norm)
    assert "max_norm must be" in str(clip_error.value)
    if max_norm is None:  # the config reads None as "no clipping"
        return
    with pytest.raises(type(clip_error.value)) as config_error:
        TrainConfig(max_norm=max_norm)
    assert str(config_error.value) == f"TrainConfig: {clip_error.value}"


def test_an_lr_beyond_the_dtype_is_refused_not_a_crash_in_the_optimizer():
    with pytest.raises(ValueError, match="TrainConfig: lr must be at most"):
        TrainConfig(lr=1e300)  # torch.optim.SGD would raise "cannot be converted to type float"
    assert TrainConfig(lr=1e300, dtype="float64").lr == 1e300
