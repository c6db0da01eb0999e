"""Load the book's per-page JavaScript only on the pages that need it.

Jupyter Book 1 adds every *.js and *.css file under `_static/` to *every* page
(jupyter_book/config.py scans html_static_path). For the vendored MathJax and ipywidgets
manager in `_static/vendor/` (and their shim `_static/ipywidgets-offline.js`) that would load
them twice on each page, in the wrong order. Sphinx (`mathjax_path`) and myst-nb
(`nb_ipywidgets_js`) already load them where needed, so this extension drops them, and anything
else under `_static/vendor/`, from the global lists. It adds nothing. The same goes for the
in-browser trainer's ES modules in `_static/trainer/` (a module loaded as a classic script is a
syntax error): the page that uses them imports them itself.
"""
from sphinx.application import Sphinx
from sphinx.config import Config


def _drop_per_page_assets(app: Sphinx, config: Config) -> None:
    """Remove vendored and per-page entries from html_js_files and html_css_files."""
    per_page = {config.mathjax_path, *getattr(config, "nb_ipywidgets_js", {})}

    def keep(entry) -> bool:
        name = entry[0] if isinstance(entry, tuple) else entry
        return not (name.startswith(("vendor/", "trainer/")) or name in per_page)

    for option in ("html_js_files", "html_css_files"):
        setattr(config, option, [e for e in getattr(config, option) if keep(e)])


def setup(app: Sphinx) -> dict:
    """Register the config-inited hook."""
    app.connect("config-inited", _drop_per_page_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
