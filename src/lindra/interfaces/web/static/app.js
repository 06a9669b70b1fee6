// Progressive enhancement for the question form: fetch the answer without a
// full page load. The server renders the same HTML either way, so the page
// works the same without JavaScript; every text shown comes from the templates.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live]");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  if (!form || !results || !status || !window.fetch || !window.DOMParser || !window.history.pushState) {
    return;
  }

  function show(url, push) {
    status.textContent = status.getAttribute("data-busy") || "";
    form.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("results");
        if (!fresh) { window.location.assign(url); return; }
        results.replaceWith(document.importNode(fresh, true));
        results = document.getElementById("results");
        document.title = page.title;
        if (push) { window.history.pushState({ live: true }, "", url); }
        status.textContent = "";
        var target = results.querySelector("[data-focus]");
        if (target) { target.focus(); }
      })
      .catch(function () { window.location.assign(url); })
      .then(function () { form.removeAttribute("aria-busy"); });
  }

  form.addEventListener("submit", function (event) {
    var field = form.elements.namedItem("q");
    if (!field || !field.value.trim()) { return; }
    event.preventDefault();
    var query = new URLSearchParams(new FormData(form)).toString();
    show(form.getAttribute("action") + "?" + query, true);
  });

  window.addEventListener("popstate", function () { window.location.reload(); });
})();
