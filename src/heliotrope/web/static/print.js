// Before printing, open every collapsed section so the paper copy holds all items and
// evidence (print.css does the same where the browser supports ::details-content).
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.setAttribute("data-opened-for-print", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-opened-for-print]").forEach(function (d) {
      d.removeAttribute("open");
      d.removeAttribute("data-opened-for-print");
    });
  });
})();
