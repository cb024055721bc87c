// The hall manager's dashboard: today's numbers as charts, fetched again
// every 30 seconds. The labels come from the page, in its language.
(function () {
  "use strict";
  var root = document.getElementById("hall-today");
  if (!root || !window.echarts || !window.fetch) {
    return;
  }
  var label = function (name) { return root.getAttribute("data-label-" + name) || name; };
  var charts = {};
  ["hours", "waits", "states"].forEach(function (name) {
    var el = document.getElementById("chart-" + name);
    if (el) {
      charts[name] = window.echarts.init(el);
    }
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });

  function minutes(seconds) {
    return Math.round((seconds || 0) / 6) / 10;
  }

  function pick(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? o : o[k]; }, obj);
  }

  function draw(s) {
    s.wait_p50_minutes = minutes(s.wait_p50_seconds);
    s.wait_p90_minutes = minutes(s.wait_p90_seconds);
    s.updated = new Date().toLocaleTimeString();
    var tiles = root.querySelectorAll("[data-stat]");
    for (var i = 0; i < tiles.length; i++) {
      var v = pick(s, tiles[i].getAttribute("data-stat"));
      tiles[i].textContent = v == null ? "–" : String(v);
    }
    var hours = s.per_hour || [];
    charts.hours && charts.hours.setOption({
      tooltip: {},
      xAxis: { type: "category", data: hours.map(function (h) { return h.hour + ":00"; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: label("tickets"), type: "bar", data: hours.map(function (h) { return h.tickets; }) }]
    });
    var cats = s.categories || [];
    charts.waits && charts.waits.setOption({
      tooltip: {},
      legend: {},
      xAxis: { type: "category", data: cats.map(function (c) { return c.category + " " + c.name; }) },
      yAxis: { type: "value", name: label("minutes") },
      series: [
        { name: label("p50"), type: "bar", data: cats.map(function (c) { return minutes(c.wait_p50_seconds); }) },
        { name: label("p90"), type: "bar", data: cats.map(function (c) { return minutes(c.wait_p90_seconds); }) }
      ]
    });
    var states = s.cases_by_state || [];
    charts.states && charts.states.setOption({
      tooltip: {},
      xAxis: { type: "category", data: states.map(function (x) { return x.label; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: label("cases"), type: "bar", data: states.map(function (x) { return x.cases; }) }]
    });
    root.setAttribute("data-loaded", "true");
  }

  function load() {
    fetch(root.getAttribute("data-stats"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) { draw(s); } })
      .catch(function () {});
  }
  load();
  setInterval(load, Number(root.getAttribute("data-every")) || 30000);
})();
