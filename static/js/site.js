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

  // Member field on the search page: suggest names as the reader types (the server also accepts any unique
  // part of a name, so the field works without this).
  document.querySelectorAll("input[data-suggestions]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked) { return; }
        asked = text;
        fetch(input.getAttribute("data-suggestions") + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { members: [] }; })
          .then(function (data) {
            if (asked !== text) { return; }
            list.replaceChildren.apply(list, data.members.map(function (member) {
              var option = document.createElement("option");
              option.value = member.name;
              return option;
            }));
          })
          .catch(function () { /* suggestions are a convenience; typing the name still works */ });
      }, 150);
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
