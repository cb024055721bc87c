// Small behaviours on top of pages that work without scripts.
(function () {
  "use strict";
  // Print buttons on notices (no inline handlers: the pages' policy forbids them).
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("[data-print]") : null;
    if (b) {
      e.preventDefault();
      window.print();
    }
  });
  // A page that answers a failed submit starts at its error summary, so
  // that a screen reader says what is wrong and a keyboard user is one Tab
  // from the first bad field: each error links to its input, which is
  // marked invalid; a link to an input the page does not have is dropped.
  function summarise(root) {
    var p = root.querySelector ? root.querySelector("#problem") : null;
    if (!p) {
      return false;
    }
    var links = p.querySelectorAll("a[data-field]");
    for (var i = 0; i < links.length; i++) {
      var input = document.getElementById(links[i].getAttribute("data-field"));
      if (input) {
        input.setAttribute("aria-invalid", "true");
      } else {
        links[i].replaceWith(document.createTextNode(links[i].textContent));
      }
    }
    p.focus();
    return true;
  }
  function announce(id, from) {
    var region = document.getElementById(id);
    if (!region || !from) {
      return;
    }
    var text = from.textContent.trim();
    if (region.textContent !== text) {
      region.textContent = text;
    }
  }
  // A wide table scrolls inside its own frame on a narrow or zoomed
  // screen, not the whole page: while it does, the frame takes the
  // keyboard focus (the arrow keys scroll it) and is named after the
  // table's section, so that a screen reader says what it holds.
  function frameTables() {
    var wraps = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var w = wraps[i], scrolls = w.scrollWidth > w.clientWidth + 1;
      if (scrolls && !w.hasAttribute("tabindex")) {
        var section = w.closest("[aria-labelledby]"), heading = document.querySelector("main h1");
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        if (section) {
          w.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
        } else if (heading) {
          w.setAttribute("aria-label", heading.textContent.trim());
        }
        w.setAttribute("data-framed", "true");
      } else if (!scrolls && w.hasAttribute("data-framed")) {
        ["tabindex", "role", "aria-labelledby", "aria-label", "data-framed"].forEach(function (a) { w.removeAttribute(a); });
      }
    }
  }
  // A long picker (service points, departments, divisions) gets a filter
  // box above it: typing narrows the options to those whose name, code or
  // pinyin (the server's data-terms: full and initials) holds the text, the number left is announced, and the first of them is
  // chosen unless the chosen one is still there; Enter or the down arrow
  // moves to the list. Without scripts it stays a plain select.
  function filterable(select) {
    if (select.getAttribute("data-filtered")) {
      return;
    }
    select.setAttribute("data-filtered", "true");
    var box = document.createElement("input");
    box.type = "search";
    box.id = select.id + "-filter";
    box.className = "picker-filter";
    box.setAttribute("autocomplete", "off");
    box.setAttribute("aria-controls", select.id);
    var label = document.querySelector('label[for="' + select.id + '"]');
    box.setAttribute("aria-label", (label ? label.textContent.trim() + " " : "") + select.getAttribute("data-filter"));
    box.placeholder = select.getAttribute("data-filter");
    var status = document.createElement("span");
    status.id = select.id + "-filter-status";
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.setAttribute("aria-describedby", status.id);
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select);
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase(), left = 0, first = null;
      var options = select.querySelectorAll("option");
      for (var i = 0; i < options.length; i++) {
        var o = options[i];
        var match = q === "" || o.value === "" || (o.textContent + " " + o.value + " " + (o.getAttribute("data-terms") || "")).toLowerCase().indexOf(q) >= 0;
        o.hidden = !match;
        if (match && o.value !== "") {
          left++;
          first = first || o;
        }
      }
      var groups = select.querySelectorAll("optgroup");
      for (var g = 0; g < groups.length; g++) {
        groups[g].hidden = !groups[g].querySelector("option:not([hidden])");
      }
      var chosen = select.options[select.selectedIndex];
      if (q !== "" && first && (!chosen || chosen.hidden || chosen.value === "")) {
        select.value = first.value;
      }
      status.textContent = select.getAttribute("data-filter-count").replace("{n}", left);
    });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === "ArrowDown") {
        e.preventDefault();
        select.focus();
      }
    });
  }
  function filterables(root) {
    var selects = (root && root.querySelectorAll ? root : document).querySelectorAll("select[data-filter]");
    for (var i = 0; i < selects.length; i++) {
      filterable(selects[i]);
    }
  }
  var resizing;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(frameTables, 200);
  });
  document.addEventListener("DOMContentLoaded", function () {
    summarise(document);
    frameTables();
    filterables(document);
  });
  // After htmx replaces a part of the page, move the focus to what changed
  // when it is a message, so that screen readers announce the outcome.
  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!target) {
      return;
    }
    frameTables();
    filterables(target);
    // Live regions stay put and say one short thing: the number of items
    // found, or where the ticket stands now (请到01号窗口办理), not the
    // whole list or card that was just replaced.
    if (target.id === "results") {
      announce("results-status", target.querySelector(".total"));
      return;
    }
    if (target.id === "desk-results") {
      return;
    }
    if (target.id === "ticket-status" || document.getElementById("ticket-announce")) {
      var now = document.getElementById("called") || document.getElementById("ahead");
      announce("ticket-announce", now);
      if (target.id === "ticket-status") {
        return;
      }
    }
    if (summarise(target)) {
      return;
    }
    var msg = target.querySelector(".problem, .flash");
    var focus = msg || target.querySelector("h1");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  });
})();
