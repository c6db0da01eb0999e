// Make the vendored ipywidgets manager (vendor/html-manager/embed-amd.js) work offline and with
// MathJax 3. Loaded just before require.js on pages with widgets (nb_ipywidgets_js in _config.yml).
(function () {
  // 1. embed-amd.js defines AMD modules named "@jupyter-widgets/base", ".../controls", ...,
  //    "@jupyter-widgets/html-manager/dist/libembed-amd". Their CSS fetches Font Awesome fonts
  //    relative to each module's URL, which RequireJS derives from the module name (at the
  //    site root: a 404). Map the names to our vendored folder; a global `require` object is the
  //    configuration RequireJS reads when it loads. Later webpack loads use the assets path.
  var here = document.currentScript && document.currentScript.src;
  if (here) {
    var dir = new URL("vendor/html-manager", here).href;
    window.require = {
      paths: { "@jupyter-widgets": dir, "@jupyter-widgets/html-manager/dist": dir },
    };
    window.__jupyter_widgets_assets_path__ = dir + "/";
  }
  // 2. ipywidgets typesets widget labels with the MathJax 2 API (MathJax.Hub.Queue); the book
  //    loads MathJax 3, so give it that one call once MathJax 3 has started.
  function addHub() {
    window.MathJax.Hub = {
      Queue: function (cmd) {
        var el = cmd && cmd[2];
        if (window.MathJax.typesetPromise) window.MathJax.typesetPromise(el ? [el] : undefined);
      },
    };
  }
  var mj = window.MathJax;
  if (!mj) return;                     // no math on this page: ipywidgets skips typesetting
  if (mj.version) { addHub(); return; } // MathJax 3 already running
  mj.startup = mj.startup || {};
  var ready = mj.startup.ready;
  mj.startup.ready = function () {
    if (ready) ready(); else window.MathJax.startup.defaultReady();
    addHub();
  };
})();
