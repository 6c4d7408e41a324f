// rolecall serve: posts the form without a page reload and swaps in the result; Ctrl+Enter submits. Without this
// script the form posts normally and the server returns the same page with the result.
"use strict";
(function () {
  const form = document.getElementById("ad-form");
  const result = document.getElementById("result");
  if (!form || !result || !window.fetch) return;
  async function submit(event) {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    result.setAttribute("aria-busy", "true");
    try {
      const response = await fetch("/", { method: "POST", body: new URLSearchParams(new FormData(form)) });
      const html = await response.text();
      const doc = new DOMParser().parseFromString(html, "text/html");
      const fresh = doc.getElementById("result");
      if (fresh) {
        result.replaceChildren(...Array.from(fresh.childNodes).map((n) => document.importNode(n, true)));
      } else {
        let message = "The server answered " + response.status + ".";
        try { message = JSON.parse(html).error.message; } catch (e) { /* not JSON */ }
        const p = document.createElement("p");
        p.className = "error";
        p.setAttribute("role", "alert");
        p.textContent = message;
        result.replaceChildren(p);
      }
      const heading = result.querySelector("h2");
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    } catch (e) {
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = "Could not reach the server: " + e;
      result.replaceChildren(p);
    } finally {
      button.disabled = false;
      result.removeAttribute("aria-busy");
    }
  }
  form.addEventListener("submit", submit);
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  document.getElementById("vs").addEventListener("change", function () {
    if (document.getElementById("text").value.trim() !== "") form.requestSubmit();
  });
})();
