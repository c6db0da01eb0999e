"""Exercises for the cliff chapter (04b): predict where a step from the wall lands, and choose a
clipping threshold that keeps gradient descent on the map.

Both checks run `labkit.cliff` at check time and explain the measured answer; they print ✔ or ✘
and return True/False. Not a place for solutions: those live in the book.
"""
from __future__ import annotations

import math

import torch

from ..cliff import LR, WINDOW, descend, loss_and_grad, off_window, surface, wall_cells
from ._feedback import NO_PREDICTION, Fail, judge, report
from ._values import as_letter, kind

WALL_START = (4.3333, -2.2)   # a grid point on the wall of the chapter's map


WALL_HINT = ("look at the gradient's norm at the wall and at how far a step of lr × ‖g‖ goes, "
             "compared with the map's width; then compare the loss where it lands with the loss "
             "where a step clipped at 1 lands.")


def check_wall_step(prediction: str, reveal: bool = False) -> bool:
    """Predict where one unclipped step (lr 1) from a point on the wall lands."""
    def run() -> str:
        letter = as_letter(prediction, "ABCD")
        start = torch.tensor([WALL_START], dtype=torch.float64)
        loss0, grad = loss_and_grad(start)
        raw, clipped = descend(start, LR, 1)[:, 1], descend(start, LR, 1, 1.0)[:, 1]
        (l_raw, l_clip), _ = loss_and_grad(torch.cat([raw, clipped]))
        far = bool(off_window(raw)[0])
        answer = ("D" if not torch.isfinite(raw).all() else "A" if not far
                  else "B" if l_raw > l_clip else "C")
        later = [loss_and_grad(descend(start, LR, 100, m)[:, -1])[0].item() for m in (None, 1.0)]
        why = (f"the gradient there has norm {grad.norm():.3g}, so the step moves "
               f"{(raw - start).norm():.3g} to (w, b) = ({raw[0, 0]:.1f}, {raw[0, 1]:.1f}), where "
               f"the loss is {l_raw:.3f} (clipped at 1: {l_clip:.3f}). It is a plateau: the "
               f"gradient is ~0, so after 100 steps the unclipped path still has loss "
               f"{later[0]:.3f} and the clipped one {later[1]:.4f}.")
        return judge(letter, answer, why, WALL_HINT, reveal is True,
                     "ex.check_wall_step(..., reveal=True)")
    return report("a step from the wall", run)


def check_threshold(max_norm: float, steps: int = 50, goal: float = 0.01) -> bool:
    """Choose max_norm: every path from the wall (lr 1) stays on the map and ends below `goal` loss."""
    def run() -> str:
        if max_norm is Ellipsis or max_norm is None:
            raise Fail(NO_PREDICTION)
        if type(max_norm) not in (int, float) or not math.isfinite(max_norm) or max_norm <= 0:
            raise Fail(f"max_norm should be a positive number, got {kind(max_norm)}.")
        starts = wall_cells(surface(*WINDOW, n=241))
        paths = descend(starts, LR, steps, float(max_norm))             # [N, steps + 1, 2]
        left = torch.stack([off_window(paths[:, k]) for k in range(steps + 1)], 1).any(1)
        final = loss_and_grad(paths[:, -1])[0].mean().item()
        if left.any():
            raise Fail(f"{int(left.sum())} of {len(starts)} paths left the map: a step of up to "
                       f"lr × max_norm = {LR * max_norm:g} still jumps off the wall. Try smaller.")
        if final >= goal:
            raise Fail(f"every path stays on the map, but their mean loss after {steps} steps is "
                       f"{final:.3f} (goal < {goal}): the steps are long enough to hop over the "
                       f"narrow valley. Try smaller.")
        return (f"all {len(starts)} paths stay on the map and end at mean loss {final:.4f}. "
                f"Too small a threshold would also work, only slower: max_norm caps the step at "
                f"lr × max_norm, on the wall and everywhere else.")
    return report("a threshold for the wall", run)
