// The selection bar of a list (templates/selections/_bar.html): a ticked box is saved at once, so the
// selection is kept across pages; without this script the bar's "Save ticks on this page" does it.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("selection-form");
    if (!form) {
      return;
    }
    var token = form.querySelector("input[name=csrf_token]").value;
    var count = form.querySelector(".selection-count");
    var actions = form.querySelector(".selection-actions");
    var pageBox = document.querySelector(".select-page");
    var rows = Array.prototype.slice.call(document.querySelectorAll(".select-row"));
    form.querySelector(".selection-save").classList.add("d-none");

    function save(boxes) {
      var body = new URLSearchParams();
      boxes.forEach(function (box) {
        body.append("shown", box.value);
        if (box.checked) {
          body.append("selected", box.value);
        }
      });
      count.textContent = "Saving…";
      return fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": token },
        body: body
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          count.textContent = data.label;
          actions.classList.toggle("d-none", data.count === 0);
        })
        .catch(function () {
          count.textContent = "Not saved: reload the page";
        });
    }

    function syncPageBox() {
      if (pageBox) {
        pageBox.checked = rows.length > 0 && rows.every(function (box) { return box.checked; });
      }
    }

    // One request at a time, in order: quick ticks never overtake each other.
    var queue = Promise.resolve();
    rows.forEach(function (box) {
      box.addEventListener("change", function () {
        syncPageBox();
        queue = queue.then(function () { return save([box]); });
      });
    });
    if (pageBox) {
      pageBox.addEventListener("change", function () {
        rows.forEach(function (box) { box.checked = pageBox.checked; });
        queue = queue.then(function () { return save(rows); });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
