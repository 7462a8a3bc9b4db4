// Report charts: drawn from the JSON the page embeds (#report-charts), never from inline script.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var source = document.getElementById("report-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#6c757d", "#0dcaf0", "#ffc107", "#d63384"];
  // Printing resizes the page: redraw without animation so the printout shows finished charts.
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { return new Chart(canvas, config); }
    return null;
  }

  var months = data.months;
  var series = months.series.map(function (item, index) {
    return { type: "bar", label: item.label, data: item.values, backgroundColor: palette[index % palette.length], stack: "outreach" };
  });
  series.push({ type: "line", label: "Replies", data: months.replies, borderColor: "#212529", backgroundColor: "#212529", tension: 0.2 });
  draw("chart-months", {
    data: { labels: months.labels, datasets: series },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });

  draw("chart-groups", {
    type: "bar",
    data: { labels: data.groups.labels, datasets: [{ label: "Response rate (%)", data: data.groups.values, backgroundColor: palette[0] }] },
    options: { indexAxis: "y", scales: { x: { beginAtZero: true, max: 100 } }, plugins: { legend: { display: false } } }
  });

  draw("chart-outcomes", {
    type: "doughnut",
    data: { labels: data.outcomes.labels, datasets: [{ data: data.outcomes.values, backgroundColor: palette }] },
    options: { plugins: { legend: { position: "right" } } }
  });

  draw("chart-delays", {
    type: "bar",
    data: { labels: data.delays.labels, datasets: [{ label: "Recipients", data: data.delays.values, backgroundColor: palette[1] }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } }
  });
})();
