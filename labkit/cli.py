"""`python -m labkit train ...`: run one TrainConfig from the shell and write its artefacts.

Writes into `--out`: `best.pt` (best dev checkpoint), `log.json` (config, gradient norms,
losses, accuracies) and `norms.png` (W/U/b gradient norms, first 100 steps, log scale).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from .clipping import CLIP_MODES
from .config import OPTIMIZERS, REDUCTIONS, TrainConfig
from .data import LENGTHS
from .models import INITS
from .plots import plot_grad_norms
from .training import train


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
    t.add_argument("--out", required=True, help="output folder")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = vars(parser().parse_args(argv))
    out, data_dir = Path(args.pop("out")), args.pop("data_dir")
    args.pop("command")
    try:
        config = TrainConfig(**{f.name: args[f.name] for f in dataclasses.fields(TrainConfig) if f.name in args})
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    result = train(config, data_dir=data_dir, save_path=out / "best.pt", progress=True)
    (out / "log.json").write_text(json.dumps(result.to_dict(), indent=1))
    fig = plot_grad_norms(result.grad_norms, keep_steps=100, log_scale=True, show_post=config.max_norm is not None,
                          max_norm=config.max_norm)
    fig.savefig(out / "norms.png", dpi=120)
    peak = max(result.grad_norms.pre["rnn_model.U"])
    print(f"steps {len(result.step_losses)}  peak |grad U| {peak:.4g}  best dev acc {result.best_dev_accuracy:.3f}"
          f"  test acc {result.test_accuracy:.3f}" + (f"  DIVERGED at step {result.diverged_at}" if result.diverged_at else ""))
    print(f"wrote {out / 'norms.png'}, {out / 'log.json'}, {out / 'best.pt'}")
    return 0
