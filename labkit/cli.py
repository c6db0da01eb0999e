"""`python -m labkit train ...`: run one TrainConfig from the shell and write its artefacts.

Writes into `--out`: `best.pt` (best dev checkpoint, when an evaluation ran), `log.json` (config,
gradient norms, losses, accuracies) and `norms.png` (W/U/b gradient norms, first 100 steps, log
scale). They are written into a temporary folder next to `--out`, then moved there in one rename,
so they always come from one run. `--out` must be new or empty; `--force` replaces an earlier run's
artefacts (and refuses a folder holding anything else). `log.json` is strict JSON: a NaN or infinite
number (a diverged loss, an exploded norm, the test accuracy of a run without a checkpoint) is null.

Exit codes: 0 done, 2 a user error (printed as `error: ...`), 130 interrupted by Ctrl-C (the steps
done so far are kept: `log.json` with `interrupted_after_step`, and `best.pt` if there is one).
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import signal
import sys
from pathlib import Path

from matplotlib.figure import Figure

from .checkpoint import save_checkpoint
from .clipping import CLIP_MODES
from .config import OPTIMIZERS, REDUCTIONS, TrainConfig
from .data import LENGTHS
from .grad_log import GradNormLogger
from .models import INITS
from .plots import plot_grad_norms
from .messages import UserError
from .run_folder import check_out, make_run_folder, publish, remove_run_folder
from .runner import Callback, Runner
from .training import TrainResult, load_splits, train


def parser() -> argparse.ArgumentParser:
    """The argument parser; every TrainConfig field is a flag with the config's default."""
    p = argparse.ArgumentParser(prog="python -m labkit", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train one configuration and write norms.png, log.json, best.pt")
    d = TrainConfig()
    t.add_argument("--length", type=int, default=d.length, choices=LENGTHS)
    t.add_argument("--lr", type=float, default=d.lr)
    t.add_argument("--batch-size", type=int, default=d.batch_size)
    t.add_argument("--epochs", type=int, default=d.epochs)
    t.add_argument("--optimizer", default=d.optimizer, choices=OPTIMIZERS)
    t.add_argument("--loss-reduction", default=d.loss_reduction, choices=REDUCTIONS)
    t.add_argument("--clip-mode", default=d.clip_mode, choices=CLIP_MODES)
    t.add_argument("--max-norm", type=float, default=None, help="clip threshold (default: no clipping)")
    t.add_argument("--init", default=d.init, choices=INITS)
    t.add_argument("--seed", type=int, default=d.seed)
    t.add_argument("--data-seed", type=int, default=d.data_seed)
    t.add_argument("--eval-steps", type=int, default=d.eval_steps)
    t.add_argument("--no-shuffle", dest="shuffle", action="store_false", help="keep the file order (the blog post's bug)")
    t.add_argument("--data-dir", default=None, help="read <data-dir>/<length>/{train,dev,test}.txt instead of generating")
    t.add_argument("--out", required=True, help="output folder: new or empty")
    t.add_argument("--force", action="store_true", help="replace the artefacts of an earlier run in --out")
    return p


class RunnerHandle(Callback):
    """Holds the Runner once training starts, so an interrupted run can still write what it did."""

    runner: Runner | None = None

    def on_train_start(self, runner: Runner) -> None:
        self.runner = runner


def finite_or_none(value):
    """`value` with every NaN or infinite float (in nested dicts, lists, tuples) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite_or_none(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_none(v) for v in value]
    return value


def partial_log(config: TrainConfig, runner: Runner) -> dict:
    """What an interrupted run did: its first `interrupted_after_step` steps (no test score)."""
    steps = len(runner.step_losses)
    norms = next(c.log for c in runner.callbacks if isinstance(c, GradNormLogger))
    return {"config": config.to_dict(), "interrupted_after_step": steps,
            "grad_norms": {which: {name: values[:steps] for name, values in table.items()}
                           for which, table in norms.to_dict().items()},
            "step_losses": runner.step_losses[:steps], "dev_scores": runner.dev_scores,
            "best_dev_accuracy": runner.best_score if runner.best_step is not None else None,
            "best_step": runner.best_step,
            "test_accuracy": None, "diverged_at": runner.diverged_at}


@contextlib.contextmanager
def ctrl_c_ignored():
    """Ignore Ctrl-C while a run's files are written and moved, so a second Ctrl-C cannot tear them."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def save_and_publish(folder: Path, out: Path, force: bool, made: list[Path], log: dict,
                     figure: Figure | None = None, best_state: dict | None = None) -> list[str]:
    """Write log.json (strict JSON), norms.png, best.pt into the run folder, then move it to `out`."""
    with ctrl_c_ignored():
        try:
            (folder / "log.json").write_text(json.dumps(finite_or_none(log), indent=1, allow_nan=False))
            if figure is not None:
                figure.savefig(folder / "norms.png", dpi=120)
            if best_state is not None:
                save_checkpoint(best_state, folder / "best.pt")
        except OSError as error:
            remove_run_folder(folder, made)
            raise UserError(f"cannot write the run's files next to {out}: {error.strerror}") from None
        return publish(folder, out, force, made)


def summary(result: TrainResult) -> str:
    """One line: steps, peak gradient norm of U, best dev and test accuracy, divergence."""
    peak = max(result.grad_norms.pre.get("rnn_model.U", []), default=math.nan)
    scores = (f"best dev acc {result.best_dev_accuracy:.3f}  test acc {result.test_accuracy:.3f}"
              if result.best_step is not None else "no checkpoint: stopped before the first evaluation")
    return (f"steps {len(result.step_losses)}  peak |grad U| {peak:.4g}  {scores}"
            + (f"  DIVERGED at step {result.diverged_at}" if result.diverged_at else ""))


def run(args: dict) -> int:
    """Check the arguments, train into a temporary folder, move it to `--out`; UserError for a user's mistake."""
    out, data_dir, force = args.pop("out"), args.pop("data_dir"), args.pop("force")
    if out == "" or data_dir == "":
        raise UserError(f"--{'out' if out == '' else 'data-dir'} is an empty string; give a folder")
    try:
        config = TrainConfig(**{f.name: args[f.name] for f in dataclasses.fields(TrainConfig) if f.name in args})
    except (TypeError, ValueError) as error:
        raise UserError(str(error)) from None
    out = Path(os.path.realpath(out))
    check_out(out, force)
    if data_dir is not None:
        try:
            load_splits(config, data_dir)  # every data error before any folder is made
        except OSError as error:
            raise UserError(f"cannot read the data: {error.strerror}: {error.filename}") from None
        except ValueError as error:
            raise UserError(str(error)) from None
    folder, made = make_run_folder(out)
    handle = RunnerHandle()
    try:
        result = train(config, data_dir=data_dir, save_path=folder / "best.pt", callbacks=[handle], progress=True)
    except KeyboardInterrupt:
        if handle.runner is None:
            remove_run_folder(folder, made)
            raise
        runner = handle.runner  # keep what it did; re-save the best weights in case Ctrl-C hit while saving them
        written = save_and_publish(folder, out, force, made, partial_log(config, runner), best_state=runner.best_state)
        print(f"\nerror: interrupted after {len(runner.step_losses)} steps; kept "
              + ", ".join(str(out / name) for name in written), file=sys.stderr)
        return 130
    except BaseException:
        remove_run_folder(folder, made)
        raise
    figure = plot_grad_norms(result.grad_norms, keep_steps=100, log_scale=True, show_post=config.max_norm is not None,
                             max_norm=config.max_norm)
    written = save_and_publish(folder, out, force, made, result.to_dict(), figure)
    print(summary(result))
    print("wrote " + ", ".join(str(out / name) for name in written))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (0 done, 2 a user error, 130 Ctrl-C)."""
    args = vars(parser().parse_args(argv))
    args.pop("command")
    try:
        return run(args)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nerror: interrupted; nothing written", file=sys.stderr)
        return 130
