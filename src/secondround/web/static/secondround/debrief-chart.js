// Draws the debrief's score chart from the Vega-Lite spec the page carries, and again
// whenever htmx swaps in new results (after a weight change; refused weights answer 400 with
// the results and the reason, which base.html's htmx-config swaps in too).
(function () {
  function draw() {
    const target = document.getElementById("score-chart");
    const spec = document.getElementById("score-chart-spec");
    if (!target || !spec || typeof vegaEmbed === "undefined") return;
    // ast + the vendored interpreter: no new Function(), no injected <style> (the CSP allows neither).
    vegaEmbed(target, JSON.parse(spec.textContent), {
      actions: false, renderer: "svg", ast: true, defaultStyle: false,
      tooltip: { disableDefaultStyle: true },  // its look is in app.css (#vg-tooltip-element)
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", draw);
})();
