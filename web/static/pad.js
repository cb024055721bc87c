// The rating pad at a window: while idle it looks for the visit just
// finished every few seconds; after a rating (or when the rating time is
// over) it goes back to waiting. The server says how long each state lasts.
(function () {
  "use strict";
  var pad = document.getElementById("pad");
  if (!pad) { return; }
  var seconds = parseInt(pad.getAttribute("data-refresh") || "0", 10);
  var back = pad.getAttribute("data-return") || location.href;
  if (seconds > 0) {
    setTimeout(function () {
      // Someone typing a comment keeps the form.
      var active = document.activeElement;
      if (active && (active.tagName === "TEXTAREA" || active.tagName === "INPUT") && pad.getAttribute("data-state") === "rating") {
        setTimeout(function () { location.replace(back); }, seconds * 1000);
        return;
      }
      location.replace(back);
    }, seconds * 1000);
  }
})();
