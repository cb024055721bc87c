// The province's figures as charts: cases handled, the online share and the
// on-time rate month by month, and the halls' services. The numbers come
// from the report the page carries as JSON, the labels from the page, in its
// language; the tables below the charts show the same numbers without a script.
(function () {
  "use strict";
  var root = document.getElementById("figures");
  var data = document.getElementById("figures-data");
  if (!root || !data || !window.echarts) {
    return;
  }
  var label = function (name) { return root.getAttribute("data-label-" + name) || name; };
  var charts = {};
  ["volume", "online", "on-time", "hall"].forEach(function (name) {
    var el = document.getElementById("chart-" + name);
    if (el) {
      charts[name] = window.echarts.init(el);
    }
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });

  // percent turns a rate (0…1, or null when there is nothing to divide) into
  // a percentage with one decimal; null leaves a gap in the line.
  function percent(rate) {
    return rate == null ? null : Math.round(rate * 1000) / 10;
  }

  function rateChart(chart, name, months, values) {
    chart && chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "–" : v + "%"; } },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{ name: name, type: "line", connectNulls: false, data: values }]
    });
  }

  function draw(r) {
    var months = (r.months || []).map(function (m) { return m.month; });
    var pick = function (key) { return (r.months || []).map(function (m) { return m[key]; }); };
    charts.volume && charts.volume.setOption({
      tooltip: { trigger: "axis" },
      legend: {},
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: label("accepted"), type: "bar", data: pick("accepted") },
        { name: label("decided"), type: "bar", data: pick("decided") }
      ]
    });
    rateChart(charts.online, label("online-rate"), months, pick("online_rate").map(percent));
    rateChart(charts["on-time"], label("on-time-rate"), months, pick("on_time_rate").map(percent));
    charts.hall && charts.hall.setOption({
      tooltip: { trigger: "axis" },
      legend: {},
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: label("appointments"), type: "bar", data: pick("appointments") },
        { name: label("lunch"), type: "bar", data: pick("lunch_services") },
        { name: label("extended"), type: "bar", data: pick("extended_services") }
      ]
    });
    root.setAttribute("data-loaded", "true");
  }

  try {
    draw(JSON.parse(data.textContent));
  } catch (e) {
    root.setAttribute("data-loaded", "failed");
  }
})();
