"""The "## Exercises" section of each chapter notebook, and a command that appends it.

`SECTIONS[stem]` lists the cells: markdown questions, worked solutions (tagged `solution` and
`hide-input`: collapsed in the HTML, replaced by a placeholder in the student edition, see
make_student.py) and check cells (`assert ex.check_...(answer)`). Appending is idempotent: a
notebook that already has an "## Exercises" heading is left alone. Outputs are cleared.

    python scripts/add_exercises.py [--replace] book/01_dataset.ipynb [more notebooks ...]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import nbformat

HEADING = "## Exercises"
MARK = "    # ---- student edition stops here ----\n"
INTRO = f"""{HEADING}

Try each exercise before you open its solution. On this page every solution is folded behind a
"Show solution" toggle; in the student edition of the notebooks (`make student` writes them to
`book/_build/student/`) it is a placeholder for your code. Each check runs your answer against
labkit, prints ✔ or ✘ with what it expected and a hint, and returns `True` or `False`."""
PROMPTS = {"code_prompt_show": "Show solution", "code_prompt_hide": "Hide solution"}
SETUP = "import torch\n\nfrom labkit import exercises as ex"


def md(text: str) -> tuple[str, str]:
    return ("md", text)


def solution(code: str, placeholder: str | None = None) -> tuple[str, str, str | None]:
    return ("solution", code, placeholder)


def check(code: str) -> tuple[str, str]:
    return ("check", code)


def letter_placeholder(name: str) -> str:
    return f'{name} = ...  # your letter: "A", "B", "C" or "D"'


SECTIONS = {
    "01_dataset": [
        md("""### Exercise 1.1 (predict, then run): remembering half of the question

Suppose a network carried $a = d_1$ perfectly to the last step but forgot $b = d_2$. The best it
could then do is answer, for each $a$, the most common training label among the examples that
start with $a$. Which dev accuracy would that reach at length 10?

**A.** about 5% **B.** about 10% **C.** about 50% **D.** about 95%"""),
        solution('first_digit_prediction = "B"', letter_placeholder("first_digit_prediction")),
        check("assert ex.check_first_digit_only(first_digit_prediction)"),
        md("""### Exercise 1.2 (implement): an embedding is a one-hot code times a matrix

`RNNClassifier.embed` looks each digit up in a table: `table[tokens]`. Write
`embed_one_hot(tokens, table)` that computes the same thing as a matrix product: encode every
digit as a one-hot vector of length 10 (`torch.nn.functional.one_hot`) and multiply by `table`
(shape `[10, D]`). Tokens are `[B, T]`, the result is `[B, T, D]`. One of the check's batches
holds no digit above 4."""),
        solution('''def embed_one_hot(tokens: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
    """Digit ids [B, T] and a table [10, D] -> one_hot(tokens) @ table: [B, T, D]."""
''' + MARK + '''    codes = torch.nn.functional.one_hot(tokens, num_classes=10)  # [B, T, 10]
    return codes.to(table.dtype) @ table  # [B, T, D]'''),
        check("assert ex.check_embed_one_hot(embed_one_hot)"),
    ],
    "02_srn_forward": [
        md("""### Exercise 2.1 (predict, then run): how many numbers does the model learn?

How many trainable numbers does `labkit.RNNClassifier()` hold with its defaults: 10 digits
embedded in 32 dimensions, an SRN with 32 hidden units, a linear head to 19 classes? Count the
embedding table, $W$, $U$, $b$ and the head. Does the count depend on the sequence length?"""),
        solution("parameter_prediction = 10 * 32 + 32 * 32 + 32 * 32 + 32 + (32 * 19 + 19)",
                 "parameter_prediction = ...  # a whole number"),
        check("assert ex.check_parameter_count(parameter_prediction)"),
        md("""### Exercise 2.2 (implement): one step of the recurrence

Write `srn_step(x_t, h_prev, W, U, b)` that returns $h_t = \\tanh(x_t W + h_{t-1} U + b)$ in the
row-vector convention of `labkit.SRN`: `x_t` is `[B, D]`, `h_prev` is `[B, H]`, `W` is `[D, H]`,
`U` is `[H, H]`, `b` is `[1, H]`. The check compares your step with `SRN.step`."""),
        solution('''def srn_step(x_t: torch.Tensor, h_prev: torch.Tensor, W: torch.Tensor,
             U: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """h_t = tanh(x_t W + h_prev U + b): x_t [B, D], h_prev [B, H] -> h_t [B, H]."""
''' + MARK + '''    return torch.tanh(x_t @ W + h_prev @ U + b)  # [B, H]'''),
        check("assert ex.check_srn_step(srn_step)"),
    ],
    "03_gradient_explosion": [
        md("""### Exercise 3.1 (predict, then run): double the length at initialisation

Before any training step, compute $\\lVert \\partial L / \\partial U \\rVert$ on the first training
batch at length 10, then at length 20, with the same seed. When the sequence doubles, the norm

**A.** shrinks (ratio < 0.8) **B.** stays about the same (0.8 to 1.5) **C.** roughly doubles
(1.5 to 3) **D.** grows more than 3 times

The check measures the ratio over 5 seeds and explains it."""),
        solution('doubling_prediction = "B"', letter_placeholder("doubling_prediction")),
        check("assert ex.check_length_doubling(doubling_prediction)"),
        md("""### Exercise 3.2 (implement): one step of backpropagation through time

For $h_t = \\tanh(x_t W + h_{t-1} U + b)$, write `bptt_step(grad_h, h_t, U)` that turns
$\\partial L / \\partial h_t$ (shape `[B, H]`) into $\\partial L / \\partial h_{t-1}$. You need
only $h_t$, not the pre-activation, because $\\tanh'(z) = 1 - \\tanh(z)^2$. The check compares
your step with autograd."""),
        solution('''def bptt_step(grad_h: torch.Tensor, h_t: torch.Tensor, U: torch.Tensor) -> torch.Tensor:
    """dL/dh_t [B, H] -> dL/dh_{t-1} [B, H], for h_t = tanh(x_t W + h_{t-1} U + b)."""
''' + MARK + '''    return (grad_h * (1 - h_t**2)) @ U.T  # back through tanh, then through U'''),
        check("assert ex.check_bptt_step(bptt_step)"),
        md("""### Exercise 3.3 (implement): the spectral radius

Write `rho(U)`, the largest modulus $|\\lambda|$ of the eigenvalues of a square matrix
(`torch.linalg.eigvals` returns them as complex numbers). The check tries a matrix with a
negative eigenvalue, a rotation (complex eigenvalues) and a non-normal matrix whose largest
singular value is far above its spectral radius."""),
        solution('''def rho(U: torch.Tensor) -> float:
    """Spectral radius: the largest |eigenvalue| of a square matrix."""
''' + MARK + '''    return torch.linalg.eigvals(U).abs().max().item()'''),
        check("assert ex.check_spectral_radius(rho)"),
    ],
    "04_clipping": [
        md("""### Exercise 4.1 (implement): per-tensor clipping

Write `clip_per_tensor(parameters, max_norm)`, labkit's `"per_tensor"` mode (Paddle's
`ClipGradByNorm`): multiply each gradient **in place** by
$\\min\\bigl(1, \\text{max\\_norm} / (\\lVert g \\rVert + \\epsilon)\\bigr)$ with
$\\epsilon = 10^{-6}$, skip parameters whose `.grad` is `None`, and return the pre-clip norms as a
tensor of shape `[P]`, one per gradient. The check includes a zero gradient, a gradient already
below `max_norm` and a parameter without a gradient."""),
        solution('''def clip_per_tensor(parameters: list[torch.nn.Parameter],
                    max_norm: float) -> torch.Tensor:
    """Scale each .grad in place to L2 norm <= max_norm; return pre-clip norms [P]."""
''' + MARK + '''    grads = [p.grad for p in parameters if p.grad is not None]
    norms = torch.stack([g.norm() for g in grads])  # [P]
    for g, norm in zip(grads, norms):
        g.mul_(torch.clamp(max_norm / (norm + 1e-6), max=1.0))
    return norms'''),
        check("assert ex.check_clip_per_tensor(clip_per_tensor)"),
        md("""### Exercise 4.2 (implement): value clipping

Write `clip_value(parameters, clip_value)`, labkit's `"value"` mode (PyTorch's
`clip_grad_value_`): clamp every gradient element to $[-\\text{clip\\_value}, \\text{clip\\_value}]$
in place, and skip parameters without a gradient."""),
        solution('''def clip_value(parameters: list[torch.nn.Parameter], clip_value: float) -> None:
    """Clamp every gradient element to [-clip_value, clip_value], in place."""
''' + MARK + '''    for p in parameters:
        if p.grad is not None:
            p.grad.clamp_(-clip_value, clip_value)'''),
        check("assert ex.check_clip_value(clip_value)"),
        md("""### Exercise 4.3 (predict, then run): trading learning rate for max_norm

Two runs at length 10 with global clipping and the same seed: run A uses lr = 0.2 and
max_norm = 1, run B uses lr = 0.1 and max_norm = 2. What happens?

- **A.** run B learns faster: its threshold is looser
- **B.** run B learns slower: its learning rate is halved
- **C.** the two runs end with practically the same weights
- **D.** run B diverges"""),
        solution('trade_prediction = "C"', letter_placeholder("trade_prediction")),
        check("assert ex.check_lr_times_max_norm(trade_prediction)"),
    ],
    "05_evaluation": [
        md("""### Exercise 5.1 (implement): accuracy

Write `accuracy(logits, labels)`: the fraction of examples whose largest logit is at the label.
`logits` is `[B, C]`, `labels` is `[B]`; return a float. The check includes a square batch
($B = C$), where a wrong axis gives a wrong number instead of an error."""),
        solution('''def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction of rows of logits [B, C] whose arg-max equals labels [B]."""
''' + MARK + '''    return (logits.argmax(dim=1) == labels).float().mean().item()'''),
        check("assert ex.check_accuracy(accuracy)"),
        md("""### Exercise 5.2 (choose): a learning rate and a clipping threshold

Pick a learning rate and a `max_norm` (`None` means no clipping) for plain SGD with the summed
loss at **length 10** (50 epochs, batch 64, global clipping). The check trains with seeds 0 and
1 (a few seconds) and passes if the mean best dev accuracy reaches 0.30, three times the 10% of
a model that learned nothing (chapter 1)."""),
        solution("chosen_lr, chosen_max_norm = 0.2, 1.0",
                 "chosen_lr, chosen_max_norm = ..., ...  # lr > 0; max_norm > 0 or None"),
        check("assert ex.check_hyperparameters(chosen_lr, chosen_max_norm)"),
    ],
}


def section_cells(stem: str) -> list[nbformat.NotebookNode]:
    """The notebook cells of chapter `stem`'s exercise section, with stable ids."""
    cells = [nbformat.v4.new_markdown_cell(INTRO), nbformat.v4.new_code_cell(SETUP)]
    for kind, text, *rest in SECTIONS[stem]:
        if kind == "md":
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif kind == "solution":
            cell = nbformat.v4.new_code_cell(text, metadata={"tags": ["solution", "hide-input"],
                                                             "mystnb": PROMPTS})
            if rest[0] is not None:
                cell.metadata["student"] = {"placeholder": rest[0]}
            cells.append(cell)
        else:
            cells.append(nbformat.v4.new_code_cell(text))
    for i, cell in enumerate(cells):
        cell.id = f"exercise-{stem[:2]}-{i:02d}"
    return cells


def append_exercises(path: Path, replace: bool = False) -> bool:
    """Append the section to the notebook at `path` (outputs cleared); False if already there.

    With `replace`, cells from an earlier run (ids `exercise-...`) are removed first."""
    nb = nbformat.read(path, as_version=4)
    if replace:
        nb.cells = [c for c in nb.cells if not c.get("id", "").startswith("exercise-")]
    if any(c.cell_type == "markdown" and c.source.startswith(HEADING) for c in nb.cells):
        return False
    nb.cells.extend(section_cells(path.stem))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return True


def main() -> None:
    """Command line: append (or with --replace, rewrite) the section of each notebook given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="chapter notebooks, e.g. book/01_dataset.ipynb")
    parser.add_argument("--replace", action="store_true", help="rewrite a section written earlier")
    args = parser.parse_args()
    for path in args.notebooks:
        done = append_exercises(path, args.replace)
        print(path, "appended" if done else "already has exercises (use --replace)")


if __name__ == "__main__":
    main()
