// Print buttons (no inline onclick: the CSP forbids inline script).
document.querySelectorAll("[data-print]").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () { window.print(); });
});
