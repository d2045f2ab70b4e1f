// The request form's live cost estimate (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var box = document.getElementById("cost-estimate");
  if (!box) { return; }
  var out = document.getElementById("cost-estimate-result");
  var form = box.closest("form");
  // Amounts in the page's language, like the server's app/formatting.py ("1 714 kr").
  var number = new Intl.NumberFormat(document.documentElement.lang || "sv", {maximumFractionDigits: 0});
  function kronor(value) { return number.format(value) + "\u00a0kr"; }
  function update() {
    var q = new URLSearchParams();
    form.querySelectorAll(".session-row").forEach(function (row) {
      var v = row.querySelectorAll("input");
      q.append("day", v[0].value); q.append("start", v[1].value); q.append("end", v[2].value);
    });
    q.append("people", form.querySelector("[name=people_count]").value);
    if (form.querySelector("[name=is_open_information_meeting]").checked) { q.append("open", "1"); }
    fetch(box.dataset.url + "?" + q.toString(), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        var text = d.error ? d.error : box.dataset.feesLabel + ": " + kronor(d.fees) + " · " +
          box.dataset.totalLabel + ": " + kronor(d.fees + d.employer_contributions);
        // A figure not yet recorded is named, never left as a silent gap.
        if (!d.error && d.missing && d.missing.length) { text += " " + d.missing.join(" "); }
        out.textContent = text;
      });
  }
  form.addEventListener("change", update);
  update();
})();
