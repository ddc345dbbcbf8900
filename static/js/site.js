// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";

  // "Fold alle ud / sammen" on the meeting page: shown only when JavaScript can act on it.
  document.querySelectorAll("[data-details-toggle]").forEach(function (toggle) {
    var scope = toggle.closest("section") || document;
    toggle.hidden = false;
    toggle.querySelectorAll("button[data-open]").forEach(function (button) {
      button.addEventListener("click", function () {
        var open = button.getAttribute("data-open") === "true";
        scope.querySelectorAll("details.case-text").forEach(function (d) { d.open = open; });
      });
    });
  });

  // Print the whole protocol: open every <details> while printing, then restore what the reader had open.
  var closedBeforePrint = [];
  window.addEventListener("beforeprint", function () {
    closedBeforePrint = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closedBeforePrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedBeforePrint.forEach(function (d) { d.open = false; });
    closedBeforePrint = [];
  });
})();
