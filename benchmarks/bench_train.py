"""Time labkit's `train(TrainConfig())` against a plain seed-style loop on the same task, in one run.

The seed-style loop is what the original post does: a torch DataLoader over a per-item Dataset,
a per-step callback that reads three gradient norms with `.item()` and prints them, a running
loss sum that keeps the autograd graph alive, evaluation every 100 steps. labkit does more per
step (six parameters' norms, before and after clipping) and should still not be slower.
Prints the median of several alternating repeats and the ratio labkit / seed-style (target <= 1.0),
then the same ratio with the seed loop also pinned to one thread (labkit's choice for tiny matmuls).
"""
import contextlib
import io
import statistics
import time

import torch
from torch.utils.data import DataLoader

from labkit import Accuracy, DigitSumDataset, RNNClassifier, TrainConfig, digit_sum_splits, train


def seed_style_loop(config: TrainConfig) -> None:
    """The post's RunnerV3.train with custom_print_log, minus its bugs that change the maths."""
    splits = digit_sum_splits(config.length, config.data_seed)
    train_loader = DataLoader(DigitSumDataset(splits["train"]), batch_size=config.batch_size)
    dev_loader = DataLoader(DigitSumDataset(splits["dev"]), batch_size=config.batch_size)
    model = RNNClassifier(seed=config.seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=config.lr)
    loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")
    metric, step, grads = Accuracy(), 0, {"W": [], "U": [], "b": []}
    for _ in range(config.epochs):
        total_loss = 0
        for x, y in train_loader:
            loss = loss_fn(model(x), y)
            total_loss += loss  # the seed keeps every step's graph alive until the epoch ends
            loss.backward()
            for name, param in model.named_parameters():
                if name.startswith("rnn_model."):
                    grads[name[-1]].append(torch.norm(param.grad, p=2).item())
            print(f"[Training] W_grad_l2: {grads['W'][-1]:.5f}, U_grad_l2: {grads['U'][-1]:.5f}")
            optimizer.step()
            optimizer.zero_grad()
            if step > 0 and step % config.eval_steps == 0:
                with torch.no_grad():
                    metric.reset()
                    for dx, dy in dev_loader:
                        metric.update(model(dx), dy)
            step += 1


def timed(fn) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        fn()
    return time.perf_counter() - start


def main(repeats: int = 5) -> None:
    config = TrainConfig()
    timed(lambda: train(config))  # warm-up: first-call allocations, lazy imports
    ours, seeds = [], []
    for _ in range(repeats):
        ours.append(timed(lambda: train(config)))
        seeds.append(timed(lambda: seed_style_loop(config)))
    a, b = statistics.median(ours), statistics.median(seeds)
    print(f"seed config: length {config.length}, {config.epochs} epochs x 5 batches = 250 SGD steps")
    print(f"labkit train(): median {a:.3f} s   seed-style loop: median {b:.3f} s   ({repeats} alternating repeats)")
    print(f"ratio labkit / seed-style = {a / b:.2f}  (target <= 1.0)")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # labkit's train() runs on one thread; give the seed loop the same
    one = statistics.median(timed(lambda: seed_style_loop(config)) for _ in range(repeats))
    torch.set_num_threads(threads)
    print(f"seed-style loop on 1 thread too: median {one:.3f} s -> ratio {a / one:.2f} "
          f"(the rest of the gain comes from labkit's loop itself)")


if __name__ == "__main__":
    main()
