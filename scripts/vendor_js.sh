#!/usr/bin/env bash
# Re-create book/_static/vendor/ from the npm registry (`npm pack`), so the built book loads no CDN.
#
# The result is committed; run this only to change a version (then `make book` and the browser
# tests). Needs npm and tar. Versions are pinned here; book/_static/vendor/README.md explains them.
set -euo pipefail

HTML_MANAGER=1.0.15   # @jupyter-widgets/html-manager: the 1.0.x line renders ipywidgets 8.1.x state
REQUIREJS=2.3.8       # requirejs: the AMD loader that embed-amd.js is written for
MATHJAX=3.2.2         # mathjax: Sphinx's default major version (3)

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/book/_static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cd "$TMP"
npm pack --silent "@jupyter-widgets/html-manager@$HTML_MANAGER" "requirejs@$REQUIREJS" \
    "mathjax@$MATHJAX" >/dev/null
for pkg in *.tgz; do mkdir "${pkg%.tgz}" && tar xzf "$pkg" -C "${pkg%.tgz}"; done

HM="$TMP/jupyter-widgets-html-manager-$HTML_MANAGER/package"
RJ="$TMP/requirejs-$REQUIREJS/package"
MJ="$TMP/mathjax-$MATHJAX/package"

rm -rf "$OUT/html-manager" "$OUT/requirejs" "$OUT/mathjax"
mkdir -p "$OUT/html-manager" "$OUT/requirejs" "$OUT/mathjax/output/chtml/fonts"

# ipywidgets embedding: one self-contained AMD bundle. Its webpack public path is the folder of
# embed-amd.js; the only files it fetches from there are Font Awesome fonts (widget icons).
# Chromium, Firefox and Safari use the woff2 ones, so .eot/.svg/.ttf/.woff are left out.
cp "$HM/dist/embed-amd.js" "$HM/dist/embed.js.LICENSE.txt" "$HM/dist/"*.woff2 "$OUT/html-manager/"

# RequireJS: one file with an @license header.
cp "$RJ/require.js" "$OUT/requirejs/require.js"

# MathJax: the "full" TeX component has every TeX extension built in (nothing is autoloaded);
# CHTML output needs its woff-v2 fonts at output/chtml/fonts/woff-v2 next to it.
cp "$MJ/es5/tex-chtml-full.js" "$MJ/LICENSE" "$OUT/mathjax/"
cp -r "$MJ/es5/output/chtml/fonts/woff-v2" "$OUT/mathjax/output/chtml/fonts/"

# The html-manager and requirejs tarballs carry no LICENSE file; their package.json names the
# licence, whose full text is kept (not regenerated) in $OUT/licenses/. Check it still applies.
grep -q '"license": "BSD-3-Clause"' "$HM/package.json"
grep -q '"license": "MIT"' "$RJ/package.json"

du -sh "$OUT"
