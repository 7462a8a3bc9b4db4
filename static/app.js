// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Type-ahead: <input data-lookup="/url" [data-target="hidden-id"] [data-go="1"]>, an ARIA 1.2
  // combobox: focus stays in the box, arrow keys move aria-activedescendant over the listbox's
  // options, Enter chooses, Escape closes, and a live region says how many there are. Results
  // marked `suggested` (nothing matched as typed) come under a "Did you mean" heading.
  var lookupCount = 0;
  function attachLookup(input) {
    var listId = "lookup-list-" + (++lookupCount);
    var menu = document.createElement("div");
    menu.className = "list-group lookup-menu shadow d-none";
    menu.id = listId;
    menu.setAttribute("role", "listbox");
    menu.setAttribute("aria-label", "Suggestions");  // not the box's own label: it names the box alone
    var status = document.createElement("div");
    status.className = "visually-hidden lookup-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(menu);
    input.parentNode.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    var target = input.dataset.target ? document.getElementById(input.dataset.target) : null;
    var items = [], options = [], active = -1, timer = null, seq = 0;

    function isOpen() { return !menu.classList.contains("d-none"); }
    function open() {
      if (!items.length) { return; }
      menu.classList.remove("d-none");
      input.setAttribute("aria-expanded", "true");
    }
    function close() {
      menu.classList.add("d-none");
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    }
    function highlight(index) {
      active = index;
      options.forEach(function (el, i) {
        el.classList.toggle("active", i === index);
        el.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function choose(item) {
      if (input.dataset.go) { window.location.href = item.url; return; }
      input.value = item.label;
      if (target) { target.value = item.id; }
      close();
      input.dispatchEvent(new CustomEvent("lookup-chosen", { detail: item }));  // for pages that want more
    }
    function option(item, index) {
      var el = document.createElement("div");
      el.className = "list-group-item list-group-item-action";
      el.id = listId + "-" + index;
      el.setAttribute("role", "option");
      el.setAttribute("aria-selected", "false");
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
      return el;
    }
    function render(results) {
      items = results;
      options = [];
      menu.textContent = "";
      var group = null;
      results.forEach(function (item, index) {
        var el = option(item, index);
        options.push(el);
        if (item.suggested && !group) {
          group = document.createElement("div");
          group.setAttribute("role", "group");
          group.setAttribute("aria-labelledby", listId + "-guess");
          var heading = document.createElement("div");
          heading.className = "list-group-item small text-muted lookup-heading";
          heading.id = listId + "-guess";
          heading.setAttribute("role", "presentation");
          heading.textContent = "No exact match. Did you mean …";
          group.appendChild(heading);
          menu.appendChild(group);
        }
        (item.suggested ? group : menu).appendChild(el);
      });
      highlight(-1);
      if (results.length) { open(); } else { close(); }
      var count = results.length + (results.length === 1 ? " suggestion" : " suggestions");
      status.textContent = !results.length ? "No matches" : (group ? "No exact match. " + count + ", did you mean" : count);
    }
    input.addEventListener("input", function () {
      if (target) { target.value = ""; }        // typed text no longer names the chosen record
      clearTimeout(timer);
      var query = input.value.trim();
      if (!query) { items = []; close(); status.textContent = ""; return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch(input.dataset.lookup + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (results) { if (mine === seq) { render(results); } })
          .catch(function () { close(); });
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!items.length) { return; }
        event.preventDefault();
        if (!isOpen()) { open(); }
        var last = items.length - 1;
        if (event.key === "ArrowDown") { highlight(active >= last ? 0 : active + 1); }
        else { highlight(active <= 0 ? last : active - 1); }
      } else if (event.key === "Enter" && isOpen() && active >= 0) {
        event.preventDefault();
        choose(items[active]);
      } else if (event.key === "Escape" && isOpen()) {
        event.preventDefault();
        close();
      }
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
      clone.querySelectorAll(".invalid-feedback, .lookup-menu, .lookup-status").forEach(function (el) { el.remove(); });
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

// A table wider than its box scrolls inside it (.table-responsive): the keyboard must be able to
// scroll it too, so while it overflows, the box is a tab stop: a region named after its table.
(function () {
  var boxes = document.querySelectorAll(".table-responsive");
  if (!boxes.length) { return; }
  var HEADING = /^H[1-6]$/;
  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption) { return caption.textContent; }
    // The nearest heading before the box, in the box's section or further out.
    for (var el = box; el && el.tagName !== "BODY"; el = el.parentElement) {
      for (var before = el.previousElementSibling; before; before = before.previousElementSibling) {
        if (HEADING.test(before.tagName) || before.classList.contains("card-header")) { return before.textContent; }
        var inside = before.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inside.length) { return inside[inside.length - 1].textContent; }
      }
    }
    return "Table";
  }
  function update() {
    boxes.forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.dataset.scrollRegion) {
        box.dataset.scrollRegion = "1";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box).replace(/\s+/g, " ").trim() + " (scrolls sideways)");
      } else if (!overflows && box.dataset.scrollRegion) {
        delete box.dataset.scrollRegion;
        ["tabindex", "role", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  update();
  window.addEventListener("load", update);
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(update, 100); });
})();

// Work in progress (email being sent, letters merged, a report counted, a duplicate scan): the
// element marked data-refresh-while="seconds" is brought up to date in place, and the page reloads
// once the server shows it no more. A page that reloaded itself on a timer would throw a screen
// reader back to its top every few seconds (WCAG 2.2.1); without script a <noscript> refresh does it.
(function () {
  var status = document.querySelector("[data-refresh-while]");
  if (!status) { return; }
  var delay = (Number(status.dataset.refreshWhile) || 3) * 1000;
  function poll() {
    fetch(window.location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        // Parsed, not run: DOMParser never executes scripts, and the HTML is this page's own.
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-refresh-while]");
        if (!fresh) { window.location.reload(); return; }
        status.replaceChildren.apply(status, Array.prototype.map.call(fresh.childNodes, function (node) {
          return document.importNode(node, true);
        }));
        status.querySelectorAll("[data-percent]").forEach(function (bar) { bar.style.width = bar.dataset.percent + "%"; });
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 2 * delay); });
  }
  window.setTimeout(poll, delay);
})();
