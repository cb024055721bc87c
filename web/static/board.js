// The display board follows the hall's event stream. The browser's
// EventSource reconnects by itself and sends the last event id, so the
// server replays what was missed (or a fresh snapshot).
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.EventSource) {
    return;
  }
  var list = document.getElementById("calling");
  var empty = document.getElementById("calling-empty");
  var rowTemplate = document.getElementById("call-row");
  var live = document.getElementById("board-live");
  var offline = document.getElementById("board-offline");
  var maxRows = 6;

  function rowOf(number) {
    var rows = list.querySelectorAll("li.call");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-number") === number) {
        return rows[i];
      }
    }
    return null;
  }

  function remove(number) {
    var row = rowOf(number);
    if (row) {
      row.parentNode.removeChild(row);
    }
  }

  // show puts a called ticket on top; a window shows one ticket at a time.
  function show(number, windowCode, fresh) {
    remove(number);
    var rows = list.querySelectorAll("li.call");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-window") === windowCode) {
        rows[i].parentNode.removeChild(rows[i]);
      }
    }
    var row = rowTemplate.content.firstElementChild.cloneNode(true);
    row.setAttribute("data-number", number);
    row.setAttribute("data-window", windowCode);
    row.querySelector(".number").textContent = number;
    row.querySelector(".window").textContent = windowCode;
    if (fresh) {
      row.classList.add("fresh");
    }
    list.insertBefore(row, list.firstChild);
    while (list.children.length > maxRows) {
      list.removeChild(list.lastChild);
    }
  }

  function setWaiting(counts) {
    var cells = board.querySelectorAll("[data-category]");
    for (var i = 0; i < cells.length; i++) {
      var n = counts[cells[i].getAttribute("data-category")];
      cells[i].textContent = n ? String(n) : "0";
    }
  }

  function refreshEmpty() {
    empty.hidden = list.children.length > 0;
  }

  function parse(e) {
    try {
      return JSON.parse(e.data);
    } catch (err) {
      return null;
    }
  }

  var source = new EventSource(board.getAttribute("data-stream"));
  source.onopen = function () {
    live.hidden = false;
    offline.hidden = true;
  };
  source.onerror = function () {
    live.hidden = true;
    offline.hidden = false;
  };
  source.addEventListener("snapshot", function (e) {
    var state = parse(e);
    if (!state) {
      return;
    }
    list.textContent = "";
    var calling = state.calling || [];
    for (var i = calling.length - 1; i >= 0; i--) {
      show(calling[i].number, calling[i].window, false);
    }
    setWaiting(state.waiting || {});
    refreshEmpty();
  });
  // Calls read aloud in Chinese, the hall's language, by the browser's
  // speech synthesis: off until somebody at the board presses the button,
  // because browsers speak only after a gesture on the page.
  var voice = document.getElementById("board-voice");
  var speaking = false;
  function say(text) {
    var u = new window.SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    u.rate = 0.9;
    window.speechSynthesis.speak(u);
  }
  if (voice && window.speechSynthesis && window.SpeechSynthesisUtterance) {
    voice.hidden = false;
    voice.addEventListener("click", function () {
      speaking = !speaking;
      voice.setAttribute("aria-pressed", speaking ? "true" : "false");
      if (speaking) {
        say("语音叫号已开启");
      } else {
        window.speechSynthesis.cancel();
      }
    });
  }

  function onCall(e) {
    var ev = parse(e);
    if (ev && ev.data) {
      show(ev.data.number, ev.data.window, true);
      refreshEmpty();
      if (speaking) {
        say("请 " + ev.data.number + " 号到 " + ev.data.window + " 号窗口");
      }
    }
  }
  source.addEventListener("call", onCall);
  source.addEventListener("recall", onCall);
  ["done", "no_show", "transfer", "cancel"].forEach(function (kind) {
    source.addEventListener(kind, function (e) {
      var ev = parse(e);
      if (ev && ev.data && ev.data.number) {
        remove(ev.data.number);
        refreshEmpty();
      }
    });
  });
  source.addEventListener("waiting", function (e) {
    var counts = parse(e);
    if (counts) {
      setWaiting(counts);
    }
  });
})();
