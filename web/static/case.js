// The case page: parts of a form shown only for the choice they belong to
// (the reasons box for 不予受理 and 退回, the address for post, the
// collector for the window), and the collector's signature pad. Without
// scripts every part stays visible and the slip's photo can be uploaded.
(function () {
  "use strict";

  function choiceParts(root) {
    root.querySelectorAll("[data-show-for]").forEach(function (part) {
      var form = part.closest("form");
      if (!form) {
        return;
      }
      var name = part.getAttribute("data-choice") || "decision";
      var wanted = part.getAttribute("data-show-for").split(" ");
      var update = function () {
        var on = form.querySelector('input[name="' + name + '"]:checked');
        part.hidden = !(on && wanted.indexOf(on.value) >= 0);
      };
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (r) {
        r.addEventListener("change", update);
      });
      update();
    });
  }

  function signaturePad(root) {
    var canvas = root.querySelector("#signature-pad");
    var field = root.querySelector("#signature-drawn");
    if (!canvas || !field || canvas.dataset.ready) {
      return;
    }
    canvas.dataset.ready = "1";
    canvas.closest(".signature-pad").hidden = false;
    var ctx = canvas.getContext("2d");
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
    var blank = function () {
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
    };
    blank();
    var drawing = false;
    var point = function (e) {
      var r = canvas.getBoundingClientRect();
      return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
    };
    canvas.addEventListener("pointerdown", function (e) {
      drawing = true;
      canvas.setPointerCapture(e.pointerId);
      var p = point(e);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      e.preventDefault();
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) {
        return;
      }
      var p = point(e);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      e.preventDefault();
    });
    var end = function () {
      if (drawing) {
        drawing = false;
        field.value = canvas.toDataURL("image/png");
      }
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    root.querySelector("#signature-clear").addEventListener("click", function () {
      blank();
      field.value = "";
    });
  }

  function setUp(root) {
    choiceParts(root);
    signaturePad(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target) {
      setUp(e.detail.target);
    }
  });
})();
