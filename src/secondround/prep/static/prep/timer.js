// Optional answer timer: progressive enhancement for the practice form. Without JavaScript
// the "Time taken" field is typed by hand; with it, a button starts and stops a clock
// that fills the field.
(function () {
  function setUp(root) {
    var form = root.querySelector("form[data-practice]");
    if (!form || form.dataset.timerReady) { return; }
    form.dataset.timerReady = "1";
    var seconds = form.querySelector("input[name=seconds]");
    var button = form.querySelector("[data-timer-toggle]");
    var display = form.querySelector("[data-timer-display]");
    if (!seconds || !button || !display) { return; }
    button.hidden = false; display.hidden = false;
    var started = null, tick = null;
    function show(n) { display.textContent = Math.floor(n / 60) + ":" + String(n % 60).padStart(2, "0"); }
    function stop() {
      if (started === null) { return; }
      var n = Math.max(1, Math.round((Date.now() - started) / 1000));
      seconds.value = n; show(n);
      clearInterval(tick); started = null; button.textContent = button.dataset.start;
    }
    button.addEventListener("click", function () {
      if (started === null) {
        started = Date.now(); show(0);
        tick = setInterval(function () { show(Math.round((Date.now() - started) / 1000)); }, 1000);
        button.textContent = button.dataset.stop;
      } else { stop(); }
    });
    // Stop on the submit button's click, before htmx or the browser reads the form.
    var submit = form.querySelector("button[type=submit]");
    if (submit) { submit.addEventListener("click", stop); }
  }
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
})();
