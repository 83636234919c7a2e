// Keeps a copy of the scorecard in this browser too, so a lost connection loses nothing.
// The server autosave (htmx) is the real store; this copy is restored only if it is newer.
(function () {
  const form = document.getElementById("scorecard-form");
  if (!form || !form.hasAttribute("hx-post")) return;
  const key = form.dataset.key;
  const serverTime = Date.parse(form.dataset.updated);
  // The version is the server's (each autosave answer brings the next): never kept or restored here.
  const fields = () => Array.from(form.elements).filter((el) => el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "version");
  const versionNow = () => (form.querySelector("input[name=version]") || {}).value;
  const saved = JSON.parse(localStorage.getItem(key) || "null");
  // Only edits made on top of the version the server still has: after another tab or device
  // saved, the page shows the server's scorecard, as the refusal asked.
  if (saved && saved.at > serverTime && saved.version === versionNow()) {
    for (const el of fields()) {
      if (!(el.name in saved.values)) continue;
      if (el.type === "radio") el.checked = saved.values[el.name] === el.value;
      else if (el.type === "checkbox") el.checked = saved.values[el.name] === "on";
      else el.value = saved.values[el.name];
    }
  }
  form.addEventListener("input", () => {
    const values = {};
    for (const el of fields()) {
      if (el.type === "radio") { if (el.checked) values[el.name] = el.value; }
      else if (el.type === "checkbox") values[el.name] = el.checked ? "on" : "";
      else values[el.name] = el.value;
    }
    localStorage.setItem(key, JSON.stringify({ at: Date.now(), version: versionNow(), values }));
  });
  // Our own autosave moved the server to a new version: the copy here was typed on top of
  // it, so it stays restorable (a reload during a save would otherwise drop the last words).
  document.body.addEventListener("htmx:afterSwap", () => {
    const status = document.getElementById("saved");
    const copy = JSON.parse(localStorage.getItem(key) || "null");
    if (!copy || !status || status.getAttribute("role") === "alert") return;
    copy.version = versionNow();
    localStorage.setItem(key, JSON.stringify(copy));
  });
  document.body.addEventListener("htmx:sendError", () => {
    const status = document.getElementById("saved");
    if (status) status.textContent = "Offline: your draft is kept in this browser and will be saved when you are back.";
  });
  // A refused autosave (400: a field over its length limit; 409: submitted in another tab)
  // swaps its explanation into #saved through base.html's htmx-config, not through code here.
  form.addEventListener("submit", () => localStorage.removeItem(key));
})();
