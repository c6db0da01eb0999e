"""The book's one colour palette: Okabe & Ito's eight colour-blind-safe colours.

Every labkit figure takes its colours from here, and the page-side JavaScript can copy
`OKABE_ITO` (the same hex strings, in the same order) so the web charts match the figures.
This module holds constants only; it does not change matplotlib's global settings.
"""
from __future__ import annotations

# Okabe & Ito (2008), "Color Universal Design": order = the default order of lines in a plot.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, YELLOW, BLACK = OKABE_ITO
GREY = "#777777"  # reference lines and "no value" cells; not a data colour

# Colour maps that stay readable without colour vision: viridis for magnitudes (perceptually
# uniform, and the map the page-side heat maps copy: book/_static/trainer/heatmap.js), a diverging
# purple-white-orange map (matplotlib's "PuOr_r") for signed values in [-1, 1].
SEQUENTIAL_CMAP = "viridis"
DIVERGING_CMAP = "PuOr_r"
