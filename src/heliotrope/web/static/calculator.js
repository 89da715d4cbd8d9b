// Live update of the calculator's result box: on every change, post the form to
// /calculator/result and put the server-rendered (escaped) result in place. Without
// JavaScript the form posts to /calculator and the whole page comes back.
(function () {
  "use strict";
  var form = document.getElementById("calculator");
  var box = document.getElementById("result");
  if (!form || !box || !window.fetch) { return; }
  var pending = null;
  var sequence = 0;
  function refresh() {
    var mine = ++sequence;
    var body = new URLSearchParams(new FormData(form));
    fetch("/calculator/result", {
      method: "POST",
      body: body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      if (mine !== sequence) { return; }
      var parsed = new DOMParser().parseFromString(html, "text/html");
      box.replaceChildren.apply(box, Array.prototype.slice.call(parsed.body.childNodes));
      box.setAttribute("data-updated", String(mine));
    }).catch(function () {
      box.setAttribute("data-error", "1");
    });
  }
  // A finding several criteria share, answered in one, is copied to the others where they
  // are still "not assessed" (never over an answer already given).
  function mirror(input) {
    var shared = input.getAttribute("data-shared");
    if (!shared || input.type !== "radio" || !input.checked) { return; }
    form.querySelectorAll('input[data-shared="' + shared + '"]').forEach(function (other) {
      if (other.name === input.name || other.value !== input.value) { return; }
      var unknown = form.querySelector(
        'input[name="' + other.name + '"][value="unknown"]:checked');
      if (unknown) { other.checked = true; }
    });
  }
  form.addEventListener("change", function (event) {
    mirror(event.target);
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(refresh, 60);
  });
})();
