// The import preview: the "Import N rows" button counts the possible duplicates each decision takes in.
// Without this script, the page's "Recount" button saves the decisions and shows the count.
(function () {
  "use strict";
  var button = document.querySelector("[data-import-button]");
  if (!button) { return; }
  var planned = parseInt(button.dataset.planned, 10) || 0;
  var decisions = document.querySelectorAll("select[data-decision]");

  function recount() {
    var count = planned;
    decisions.forEach(function (select) { if (select.value !== "skip") { count += 1; } });
    button.textContent = "Import " + count + (count === 1 ? " row" : " rows");
  }

  decisions.forEach(function (select) { select.addEventListener("change", recount); });
  recount();  // a reload may keep choices the browser remembers
})();
