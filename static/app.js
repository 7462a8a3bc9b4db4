// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Type-ahead: <input data-lookup="/url" [data-target="hidden-id"] [data-go="1"]>
  function attachLookup(input) {
    var menu = document.createElement("div");
    menu.className = "list-group lookup-menu shadow d-none";
    menu.setAttribute("role", "listbox");
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(menu);
    var target = input.dataset.target ? document.getElementById(input.dataset.target) : null;
    var items = [], active = -1, timer = null, seq = 0;

    function close() { menu.classList.add("d-none"); active = -1; }
    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(menu.children, function (el, i) { el.classList.toggle("active", i === index); });
    }
    function choose(item) {
      if (input.dataset.go) { window.location.href = item.url; return; }
      input.value = item.label;
      if (target) { target.value = item.id; }
      close();
      input.dispatchEvent(new CustomEvent("lookup-chosen", { detail: item }));  // for pages that want more
    }
    function render(results) {
      items = results;
      menu.textContent = "";
      results.forEach(function (item, index) {
        var el = document.createElement("button");
        el.type = "button";
        el.className = "list-group-item list-group-item-action";
        el.setAttribute("role", "option");
        var label = document.createElement("div");
        label.textContent = item.label;           // textContent: names are never HTML
        el.appendChild(label);
        if (item.detail) {
          var detail = document.createElement("div");
          detail.className = "small text-muted";
          detail.textContent = item.detail;
          el.appendChild(detail);
        }
        el.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        el.addEventListener("mouseenter", function () { highlight(index); });
        menu.appendChild(el);
      });
      menu.classList.toggle("d-none", results.length === 0);
      active = -1;
    }
    input.addEventListener("input", function () {
      if (target) { target.value = ""; }        // typed text no longer names the chosen record
      clearTimeout(timer);
      var query = input.value.trim();
      if (!query) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch(input.dataset.lookup + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (results) { if (mine === seq) { render(results); } })
          .catch(function () { close(); });
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (menu.classList.contains("d-none")) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("input[data-lookup]").forEach(attachLookup);
  window.crmAttachLookup = attachLookup;

  // "/" jumps to the quick search from anywhere but a text field. An empty search box (the start
  // page focuses its own) takes it as the shortcut too: no name or address starts with "/".
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var tag = (target.tagName || "").toLowerCase();
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (tag === "input" && target.type === "search" && target.value === "") {
      event.preventDefault();
      return;
    }
    if (!["input", "textarea", "select"].includes(tag) && !target.isContentEditable) {
      var box = document.getElementById("quick-search");
      if (!box) { return; }
      event.preventDefault();
      var menu = document.getElementById("nav");
      if (menu && !box.offsetParent && window.bootstrap) {
        // A narrow window folds the bar away: open it first, then focus once it is shown.
        menu.addEventListener("shown.bs.collapse", function () { box.focus(); }, { once: true });
        bootstrap.Collapse.getOrCreateInstance(menu).show();
      } else {
        box.focus();
      }
    }
  });

  // Repeatable rows (emails, phones, addresses): clone the last row with the next index.
  document.querySelectorAll("fieldset.repeatable").forEach(function (fieldset) {
    var button = fieldset.querySelector(".add-row");
    var prefix = fieldset.dataset.prefix;
    button.addEventListener("click", function () {
      var rows = fieldset.querySelectorAll(".repeat-row");
      var last = rows[rows.length - 1];
      var clone = last.cloneNode(true);
      var pattern = new RegExp("^" + prefix + "-\\d+-");
      var next = prefix + "-" + rows.length + "-";
      clone.querySelectorAll("input, select, label").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(pattern, next)); }
        });
        if (el.type === "checkbox") { el.checked = false; }
        else if (el.type === "hidden") { el.value = ""; }
        else if (el.tagName === "INPUT") { el.value = ""; }
        else if (el.tagName === "SELECT") {
          // Back to the option the server marked as default (a participant row defaults to "To").
          var chosen = Array.prototype.find.call(el.options, function (o) { return o.defaultSelected; });
          el.value = chosen ? chosen.value : "";
        }
        el.classList.remove("is-invalid");
      });
      clone.querySelectorAll(".invalid-feedback, .lookup-menu").forEach(function (el) { el.remove(); });
      clone.querySelectorAll("input[data-target]").forEach(function (el) {
        el.dataset.target = el.dataset.target.replace(pattern, next);
      });
      last.after(clone);
      clone.querySelectorAll("input[data-lookup]").forEach(attachLookup);
      var first = clone.querySelector("input");
      if (first) { first.focus(); }
    });
  });
})();

// What templates cannot say inline under the Content-Security-Policy: a bar's width, a select that
// submits its form when changed.
(function () {
  document.querySelectorAll("[data-percent]").forEach(function (bar) { bar.style.width = bar.dataset.percent + "%"; });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();

// Import progress: poll the job's state; reload to show the result once it has finished.
(function () {
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = box.querySelector(".progress-bar");
  var text = box.querySelector(".progress-text");
  function poll() {
    fetch(box.dataset.url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.style.width = state.percent + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", state.percent);
        text.textContent = state.rows_done + " of " + state.rows_total + " rows";
        if (["done", "failed", "undone"].indexOf(state.status) >= 0) { window.location.reload(); }
        else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();

// Import mapping: choosing a preset reloads the page with that preset's columns.
(function () {
  var select = document.querySelector("form select#preset");
  if (!select || !document.querySelector(".mapping-table")) { return; }
  select.addEventListener("change", function () {
    var url = new URL(window.location.href);
    if (select.value) { url.searchParams.set("preset", select.value); } else { url.searchParams.delete("preset"); }
    window.location.assign(url.toString());
  });
})();

// Preview being prepared: poll, then reload to show it.
(function () {
  var box = document.getElementById("preview-progress");
  if (!box) { return; }
  var text = box.querySelector(".progress-text");
  function poll() {
    fetch(box.dataset.url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        text.textContent = state.rows_done + " rows read";
        if (state.ready) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();

// Email drop zones: a .eml or .msg dropped on the zone is filed at once (its form posts the file).
(function () {
  document.querySelectorAll("[data-email-drop]").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input) { return; }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
      input.files = event.dataTransfer.files;
      zone.requestSubmit ? zone.requestSubmit() : zone.submit();
    });
  });
})();
