// The people list's "Member of": each organisation picked in the type-ahead becomes a ticked box
// (organisation_id, repeated), so several committees or delegations filter at once; untick one to drop it.
(function () {
  "use strict";
  document.querySelectorAll("input[data-chips]").forEach(function (input) {
    var box = document.getElementById(input.dataset.chips);
    if (!box) { return; }
    input.addEventListener("lookup-chosen", function (event) {
      var item = event.detail;
      var id = String(item.id);
      var present = Array.prototype.some.call(box.querySelectorAll("input[name=organisation_id]"), function (el) {
        if (el.value === id) { el.checked = true; return true; }
        return false;
      });
      if (!present) {
        var chip = document.createElement("label");
        chip.className = "badge text-bg-light border organisation-chip";
        var tick = document.createElement("input");
        tick.className = "form-check-input me-1";
        tick.type = "checkbox";
        tick.name = "organisation_id";
        tick.value = id;
        tick.checked = true;
        chip.appendChild(tick);
        chip.appendChild(document.createTextNode(item.label));  // text, never HTML
        box.appendChild(chip);
      }
      input.value = "";
      input.placeholder = "Add another organisation";
    });
  });
})();
