"""The HTML block that puts the in-browser trainer (book/_static/trainer/page.js) on a book page.

`trainer_html(preset, phase=None)` returns a <div class="rnn-trainer"> that page.js fills with the
controls, the live charts and (given `labkit.phase_diagram.phase_data`) the phase diagram, whose
data travels inline as <script type="application/json">. The block says what it needs until the
script replaces that note. It builds markup only: no training, no files.
"""
from __future__ import annotations

import html
import json

PRESETS = ("blog", "ch5-off", "ch5-clip20", "ch5-clip1", "small-lr")  # ids in trainer/state.js
STATIC = "_static/trainer"  # relative to a top-level page of the built book

NOTE = ("The live trainer runs in your browser: it needs JavaScript and the book served over "
        "http (for example <code>python -m http.server -d book/_build/html</code>), not opened "
        "as a file.")


def trainer_html(preset: str, phase: dict | None = None, url_state: bool = False) -> str:
    """The trainer block starting at `preset`; `phase`: phase-diagram data; `url_state`: sync the URL."""
    if preset not in PRESETS:
        raise ValueError(f"trainer_html: preset must be one of {PRESETS}, got {preset!r}")
    data = ""
    if phase is not None:
        text = json.dumps(phase, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
        data = f'<script type="application/json" class="rnn-phase-data">{text}</script>'
    return (f'<link rel="stylesheet" href="{STATIC}/trainer.css">'
            f'<div class="rnn-trainer" data-preset="{html.escape(preset)}" '
            f'data-url-state="{str(url_state).lower()}"><p>{NOTE}</p>{data}</div>'
            f'<script type="module" src="{STATIC}/page.js"></script>')
