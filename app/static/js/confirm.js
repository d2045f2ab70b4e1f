// The confirmation step of destructive forms (app/web/confirm.py): a <dialog> asks first and
// the form is posted with confirmed=1 only after "yes". The server still refuses to act on a
// post without confirmed=1 (it answers with a confirmation page), so this is a convenience.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    var dialog = document.getElementById(form.getAttribute("data-confirm"));
    var field = form.querySelector("input[name=confirmed]");
    if (!dialog || !field || typeof dialog.showModal !== "function") {
      return; // no dialog support: the server's confirmation page asks instead
    }
    form.addEventListener("submit", function (event) {
      if (field.value === "1") {
        return;
      }
      event.preventDefault();
      dialog.showModal();
    });
    dialog.querySelector("[data-confirm-yes]").addEventListener("click", function () {
      field.value = "1";
      dialog.close();
      form.submit();
    });
    dialog.querySelector("[data-confirm-no]").addEventListener("click", function () {
      dialog.close();
    });
    // A page restored from the back-forward cache must ask again.
    window.addEventListener("pageshow", function () {
      field.value = "";
    });
  });
}());
