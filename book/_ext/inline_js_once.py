"""Write each inline <script> once per page (fixes "THEBE_JS_URL has already been declared").

Where the second copy comes from (Sphinx 7.4, measured): an extension that calls
`app.add_js_file(None, body=...)` after the HTML builder is initialised (sphinx-thebe's
`init_thebe_core` on env-before-read-docs, sphinx-togglebutton's selector on builder-inited)
registers the script twice: in the builder's list with filename `None`, and in the registry,
which `StandaloneHTMLBuilder.prepare_writing` adds again with filename `''`. The two compare
unequal, so every page gets both, and the second `const THEBE_JS_URL` is a SyntaxError in the
browser. This extension drops the repeat from each page's `script_files` (same body, same
attributes, filename None or ''); scripts with a file name are left alone.
"""
from sphinx.application import Sphinx


def _once(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Remove repeated inline scripts from this page's script list, keeping the first of each."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        if not getattr(script, "filename", "x"):  # inline: filename None or ''
            key = (script.priority, tuple(sorted(script.attributes.items())))
            if key in seen:
                continue
            seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def setup(app: Sphinx) -> dict:
    """Register the html-page-context hook."""
    app.connect("html-page-context", _once)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
