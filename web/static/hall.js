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
    // s.updated is the server's time of the numbers, in China time, 24-hour.
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
    // The charts' one-line summaries and tables say the same, in words
    // the page wrote (its templates) and numbers just fetched.
    var peak = hours.reduce(function (a, h) { return a && a.tickets >= h.tickets ? a : h; }, null);
    summary("hours", s.tickets > 0 && peak, { total: s.tickets, peak: peak && peak.hour + ":00", count: peak && peak.tickets });
    rows("hours", hours.map(function (h) { return [h.hour + ":00", h.tickets]; }));
    var longest = cats.reduce(function (a, c) { return a && a.wait_p50_seconds >= c.wait_p50_seconds ? a : c; }, null);
    summary("waits", longest && longest.wait_p50_seconds > 0, longest && { category: longest.category + " " + longest.name,
      p50: minutes(longest.wait_p50_seconds).toFixed(1), p90: minutes(longest.wait_p90_seconds).toFixed(1) });
    rows("waits", cats.map(function (c) { return [c.category + " " + c.name, minutes(c.wait_p50_seconds).toFixed(1), minutes(c.wait_p90_seconds).toFixed(1)]; }));
    var most = states.reduce(function (a, x) { return a && a.cases >= x.cases ? a : x; }, null);
    var total = states.reduce(function (n, x) { return n + x.cases; }, 0);
    summary("states", most, most && { total: total, state: most.label, count: most.cases });
    rows("states", states.map(function (x) { return [x.label, x.cases]; }));
    root.setAttribute("data-loaded", "true");
  }

  // Names in Chinese on an English page (a category's name) say so, as the
  // server marks them, for screen readers.
  var english = document.documentElement.lang === "en";
  function piece(text) {
    if (english && /[\u3400-\u9fff]/.test(text)) {
      var span = document.createElement("span");
      span.lang = "zh-CN";
      span.textContent = text;
      return span;
    }
    return document.createTextNode(text);
  }

  // summary rewrites a chart's one-line description from its template.
  function summary(name, some, values) {
    var p = document.getElementById("summary-" + name);
    if (!p) {
      return;
    }
    var parts = (some ? p.getAttribute("data-summary") : p.getAttribute("data-none")).split(/(\{[a-z0-9_]+\})/);
    var nodes = parts.map(function (part) {
      var key = part.charAt(0) === "{" ? part.slice(1, -1) : null;
      return key && values && key in values ? piece(String(values[key])) : document.createTextNode(part);
    });
    var text = nodes.map(function (n) { return n.textContent; }).join("");
    if (p.textContent !== text) {
      p.textContent = "";
      nodes.forEach(function (n) { p.appendChild(n); });
    }
  }

  // rows refills a chart's table: the first cell of each row is its header.
  function rows(name, data) {
    var body = document.querySelector("#table-" + name + " tbody");
    var text = data.map(function (cells) { return cells.join(""); }).join("");
    if (!body || body.textContent === text) {
      return;
    }
    var fresh = document.createElement("tbody");
    data.forEach(function (cells) {
      var tr = document.createElement("tr");
      cells.forEach(function (v, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) {
          cell.setAttribute("scope", "row");
        }
        cell.appendChild(piece(String(v)));
        tr.appendChild(cell);
      });
      fresh.appendChild(tr);
    });
    body.replaceWith(fresh);
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
