// The report's only script: a tap on a byte shows its story, a tap on a row
// of the ladder shows all the row says. It loads nothing. When it has run to
// the end without an exception it marks the page ready (data-ready on the
// html element), which the browser test checks.
(function () {
  "use strict";
  var root = document.documentElement;
  window.addEventListener("error", function (e) {
    root.setAttribute("data-error", String(e.message || e.type));
  }, true);
  var data = JSON.parse(document.getElementById("stories").textContent);
  var panel = document.getElementById("detail");
  var text = document.getElementById("detail-text");
  var selected = null;
  function show(el, lines) {
    if (selected) selected.classList.remove("sel");
    selected = el;
    if (el) el.classList.add("sel");
    text.textContent = lines.join("\n");
    panel.hidden = false;
  }
  document.getElementById("detail-close").addEventListener("click", function () {
    panel.hidden = true;
    if (selected) selected.classList.remove("sel");
    selected = null;
  });
  var panes = document.querySelectorAll(".bytes[data-dir]");
  for (var p = 0; p < panes.length; p++) {
    (function (pane) {
      var cells = pane.querySelectorAll(".cells i");
      var stories = data[pane.getAttribute("data-dir")] || [];
      var index = new Map();
      for (var i = 0; i < cells.length; i++) index.set(cells[i], i);
      pane.addEventListener("click", function (e) {
        var k = index.get(e.target);
        if (k === undefined) return;
        var ids = stories[k] || [];
        show(e.target, ids.map(function (id) { return data.lines[id]; }));
      });
    })(panes[p]);
  }
  var rows = document.querySelectorAll("svg.ladder .row");
  for (var r = 0; r < rows.length; r++) {
    rows[r].addEventListener("click", function (e) {
      var t = e.currentTarget.querySelector("title");
      show(e.currentTarget, [t ? t.textContent : ""]);
    });
  }
  if (!root.hasAttribute("data-error")) root.setAttribute("data-ready", "1");
})();
