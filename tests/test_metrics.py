"""`Accuracy` and `majority_baseline`: the baseline is the accuracy of a constant predictor."""
import pytest
import torch

from labkit import LENGTHS, Accuracy, TensorBatches, digit_sum_splits, majority_baseline


@pytest.mark.parametrize("split", ["train", "dev", "test"])
@pytest.mark.parametrize("length", LENGTHS)
def test_the_majority_baseline_is_the_accuracy_of_always_answering_the_most_common_sum(length, split):
    examples = digit_sum_splits(length)[split]
    best = 0.0
    for answer in range(19):  # every constant answer, scored by the book's own metric
        metric = Accuracy()
        for tokens, labels in TensorBatches(examples, 64):
            metric.update(torch.nn.functional.one_hot(torch.full_like(labels, answer), 19).float(), labels)
        best = max(best, metric.accumulate())
    assert majority_baseline(length, split) == best == 0.10  # 9 is the most common sum (chapter 1)


def test_an_unknown_split_is_a_clear_error():
    with pytest.raises(ValueError, match="split must be one of"):
        majority_baseline(10, "validation")
