/* Progressive enhancement only: every child page works without this file. */
(function () {
  "use strict";
  // Exit: leave at once, and replace this page in the history so Back does not return here.
  document.querySelectorAll("[data-exit]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      try { document.body.innerHTML = ""; } catch (e) { /* nothing to clear */ }
      window.location.replace(link.href);
    });
  });
  // Escape key three times quickly also exits (a common quick-exit pattern).
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    var exit = document.querySelector("[data-exit]");
    if (presses.length >= 3 && exit) { window.location.replace(exit.href); }
  });
})();
