// "Add meeting" on the request form: add an empty meeting row in place. Without JavaScript
// the button posts the form and the page comes back with one more row (same result).
(function () {
  "use strict";
  var button = document.querySelector("[data-add-row]");
  if (!button) { return; }
  var MAX_ROWS = 60;
  button.addEventListener("click", function (event) {
    var rows = document.querySelectorAll("#sessions .session-row");
    if (!rows.length || rows.length >= MAX_ROWS) { return; }
    event.preventDefault();
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var index = rows.length;
    copy.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (node) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = node.getAttribute(attr);
        if (value) { node.setAttribute(attr, value.replace(/sessions-\d+-/g, "sessions-" + index + "-")); }
      });
      if (node.tagName === "INPUT") { node.value = ""; node.removeAttribute("aria-invalid"); }
    });
    copy.querySelectorAll(".error").forEach(function (node) { node.remove(); });
    var legend = copy.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.replace(/\d+/, String(index + 1)); }
    last.parentNode.insertBefore(copy, last.nextSibling);
    var first = copy.querySelector("input");
    if (first) { first.focus(); }
  });
})();
