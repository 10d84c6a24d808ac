// Draw every Vega-Lite chart on the page with the locally shipped vega-embed (no network).
document.querySelectorAll("script.vega-spec").forEach(function (script) {
  var target = document.getElementById(script.dataset.target);
  var spec = JSON.parse(script.textContent);
  vegaEmbed(target, spec, { actions: false, renderer: "svg" }).catch(function (err) {
    target.textContent = "This chart could not be drawn: " + err;
  });
});
