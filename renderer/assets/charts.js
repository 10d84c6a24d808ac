// Draw every Vega-Lite chart on the page with the locally shipped vega-embed (no network).
// This small script runs after the page is parsed (defer); only then does it load the large
// vega bundle, so the text and each chart's static SVG (the figure card's) show first.
// Each chart is drawn inside its box, which keeps role="img" and the figure's alt text: the
// drawing itself is hidden from screen readers (its data is the card's CSV, linked below it).
(function () {
  "use strict";
  var specs = [].slice.call(document.querySelectorAll("script.vega-spec"));
  if (!specs.length) return;
  var me = document.currentScript && document.currentScript.src;

  // A single or layered view takes the width of its box; wider layouts (concat, facet,
  // repeat) keep their size and are scaled down by the stylesheet.
  function fitToBox(spec, box) {
    var composite = ["hconcat", "vconcat", "concat", "facet", "repeat"].some(function (k) { return k in spec; });
    if (composite) return spec;
    spec.width = "container";
    spec.autosize = {type: "fit-x", contains: "padding"};
    if (box.clientWidth < 480) {  // a phone: legends below the plot, one entry per line
      // (two columns cut off a long entry such as figure 6.1's "Under coca at the end of ...")
      spec.config = spec.config || {};
      spec.config.legend = Object.assign({}, spec.config.legend,
        {orient: "bottom", direction: "vertical", columns: 1, labelLimit: Math.max(120, box.clientWidth - 40)});
    }
    return spec;
  }

  function draw() {
    specs.forEach(function (script) {
      var box = document.getElementById(script.dataset.target);
      var spec = fitToBox(JSON.parse(script.textContent), box);
      spec.description = box.getAttribute("aria-label") || spec.description;
      var live = document.createElement("div");
      live.className = "chart-live";
      live.setAttribute("aria-hidden", "true");
      box.appendChild(live);
      vegaEmbed(live, spec, {actions: false, renderer: "svg"}).then(function () {
        box.classList.add("drawn");
      }).catch(function (err) {
        live.remove();
        var note = document.createElement("p");
        note.textContent = "The interactive chart could not be drawn (" + err + "); the picture above is the same chart.";
        box.after(note);
      });
    });
  }

  var bundle = document.createElement("script");
  bundle.src = me ? me.replace(/charts\.js(\?.*)?$/, "vega-bundle.js") : "vega-bundle.js";
  bundle.onload = draw;
  document.head.appendChild(bundle);
})();
