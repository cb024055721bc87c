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
  // After htmx replaces a part of the page, move the focus to what changed
  // when it is a message, so that screen readers announce the outcome.
  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!target || target.id === "results" || target.id === "desk-results") {
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
