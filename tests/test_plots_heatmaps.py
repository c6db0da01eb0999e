"""Heat maps stay readable when the page is 390 px wide: text >= 10 px, no overlapping tick labels."""
import numpy as np
import pytest
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg

from labkit import plot_heatmap, plot_hidden_grad_map, plot_hidden_states
from labkit.plots_heatmaps import MIN_TEXT_PX

SCREEN_PX = 390


def heat_maps():
    """The three heat maps at the sizes the book draws them (a 5 x 6 grid, T = 20, 20 x 20 map)."""
    table = np.linspace(0.05, 0.7, 30).reshape(5, 6)
    grid = plot_heatmap(table, [0.01, 0.03, 0.1, 0.2, 0.3], [None, 0.5, 1, 2, 5, 20], row_label="lr",
                        col_label="max_norm", title="test accuracy", cbar_label="accuracy")
    states = plot_hidden_states(torch.linspace(-1, 1, 20 * 32).reshape(20, 32), tokens=[7] * 20)
    rows = (10.0 ** torch.linspace(-14, 4, 400)).reshape(20, 20).tolist()
    return {"grid": grid, "states": states, "grad map": plot_hidden_grad_map(rows)}


@pytest.mark.parametrize("name", ["grid", "states", "grad map"])
def test_text_is_at_least_10_px_on_a_390_px_screen(name):
    fig = heat_maps()[name]
    scale = SCREEN_PX / (fig.get_figwidth() * 72)  # points -> px on the narrow screen
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
             if t.get_text().strip() and t.get_visible()]
    assert texts
    small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() * scale < MIN_TEXT_PX]
    assert not small, f"{name}: text below {MIN_TEXT_PX} px at {SCREEN_PX} px: {small[:5]}"


@pytest.mark.parametrize("name", ["grid", "states", "grad map"])
def test_tick_labels_do_not_overlap(name):
    fig = heat_maps()[name]
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    for ax in fig.axes:
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [t.get_window_extent(renderer) for t in labels if t.get_text().strip()]
            for a, b in zip(boxes, boxes[1:]):
                assert not a.overlaps(b), f"{name}: tick labels overlap"


def test_cell_values_written_in_every_cell():
    fig = heat_maps()["grid"]
    assert len(fig.axes[0].texts) == 30
