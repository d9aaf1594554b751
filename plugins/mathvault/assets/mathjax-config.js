/*
 * mathvault: MathJax 3 configuration. Must load before MathJax (tex-chtml.js).
 *
 * The HTML it expects is pymdownx.arithmatex's "generic" output:
 *   inline   <span class="arithmatex">\(...\)</span>
 *   display  <div class="arithmatex">\[...\]</div>
 *            <span class="arithmatex mathvault-display">\[...\]</span>
 * Only elements with the `arithmatex` class are searched for math, so a stray
 * "$" or "\(" in prose or code is never touched.
 *
 * Material's instant navigation swaps page content without reloading scripts;
 * every new document announced on Material's `document$` is typeset again. A page
 * opened from disk (where `document$` never emits) is typeset when its DOM is ready.
 * State for tests and other scripts lives on `window.mathvault.math`.
 */
(function () {
  "use strict";

  // Replaced at build time by site_assets.mathjax_config_js(macros); must stay a JSON object.
  var MACROS = /*mathvault:macros*/{}/*mathvault:end*/;

  // Fonts are served next to tex-chtml.js, which sits in mathjax/ beside this script.
  var here = document.currentScript ? document.currentScript.src : window.location.href;
  var fontURL = new URL("mathjax/output/chtml/fonts/woff-v2", here).href;

  var state = { typesets: 0, path: null, pending: false, errors: [] };
  window.mathvault = window.mathvault || {};
  window.mathvault.math = state;

  // One entry per formula that MathJax rendered as an error.
  function errorsIn(root) {
    var found = [];
    root.querySelectorAll(".arithmatex").forEach(function (holder) {
      var node = holder.querySelector("mjx-merror, [data-mjx-error]");
      if (node) {
        found.push({
          message: node.getAttribute("data-mjx-error") || node.textContent,
          tex: holder.getAttribute("data-mathvault-tex") || "",
        });
      }
    });
    return found;
  }

  // Typeset the current document; calls are chained on MathJax's own promise so a
  // navigation during a running typeset waits for it instead of interleaving.
  function typesetPage() {
    var MJ = window.MathJax;
    state.pending = true;
    MJ.startup.promise = MJ.startup.promise
      .then(function () {
        var nodes = document.querySelectorAll(".arithmatex");
        nodes.forEach(function (node) {
          if (!node.hasAttribute("data-mathvault-tex")) {
            node.setAttribute("data-mathvault-tex", node.textContent);
          }
        });
        MJ.typesetClear();
        MJ.texReset();
        return MJ.typesetPromise(Array.prototype.slice.call(nodes));
      })
      .then(function () {
        state.errors = errorsIn(document);
        state.errors.forEach(function (e) {
          console.error("mathvault: MathJax could not typeset " + e.tex + ": " + e.message);
        });
      })
      .catch(function (err) {
        state.errors = [{ message: String(err && err.message ? err.message : err), tex: "" }];
        console.error("mathvault: MathJax failed: ", err);
      })
      .then(function () {
        state.typesets += 1;
        state.path = window.location.pathname;
        state.pending = false;
      });
    return MJ.startup.promise;
  }

  window.mathvault.typeset = typesetPage;

  window.MathJax = {
    tex: {
      inlineMath: [["\\(", "\\)"]],
      displayMath: [["\\[", "\\]"]],
      processEscapes: false,
      processEnvironments: true,
      // Obsidian does not number equations; align etc. stay unnumbered as there.
      tags: "none",
      // ams (align, bmatrix, ...) and newcommand ship in tex-chtml.js; boldsymbol,
      // cancel, color, mhchem, ... are fetched on first use by the autoload package
      // from this site's own copy of MathJax.
      // noundefined is dropped so an unknown macro is a visible error, not red text.
      packages: { "[+]": ["ams", "newcommand", "configmacros"], "[-]": ["noundefined"] },
      macros: MACROS,
    },
    options: {
      ignoreHtmlClass: ".*|",
      processHtmlClass: "arithmatex",
    },
    chtml: { fontURL: fontURL },
    startup: {
      typeset: false,
      ready: function () {
        window.MathJax.startup.defaultReady();
        // Material: document$ replays the current document, then each instant navigation.
        // Opened from disk (file://, Material's offline plugin) it completes without ever
        // emitting, and a theme without it has none: then this document is typeset once
        // the DOM is ready, unless document$ announced it first.
        var announced = false;
        function fallback() {
          if (!announced) {
            announced = true;
            typesetPage();
          }
        }
        var doc$ = window.document$;
        if (doc$ && typeof doc$.subscribe === "function") {
          doc$.subscribe({
            next: function () {
              announced = true;
              typesetPage();
            },
            error: fallback,
            complete: fallback,
          });
        }
        if (document.readyState === "loading") {
          document.addEventListener("DOMContentLoaded", function () {
            setTimeout(fallback, 0);
          });
        } else {
          setTimeout(fallback, 0);
        }
      },
    },
  };
})();
