// The search page's enhancements; the page works without them.
(function () {
  "use strict";

  // On a wide screen there is room for the filters: open the folded panel (on a phone it stays folded, so the
  // results come first).
  if (window.matchMedia("(min-width: 64em)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
  }

  // Send only the fields in use, so the address to share says what the search is (the server redirects to the
  // same address when a browser sends the empty fields anyway).
  document.querySelectorAll("form[data-search-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name], select[name]").forEach(function (field) {
        var unused = field.value.trim() === "" || (field.name === "sort" && field.value === "relevance");
        if (unused) { field.disabled = true; }
      });
      // Re-enable after the browser has read the form, for when the page is restored from the back/forward cache.
      setTimeout(function () {
        form.querySelectorAll("[disabled]").forEach(function (field) { field.disabled = false; });
      }, 0);
    });
  });
})();
