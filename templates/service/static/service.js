// The job page refreshes its main part while the job runs (without JavaScript, a <noscript> meta refresh does).
(function () {
  "use strict";
  async function refresh() {
    const response = await fetch(location.href, { credentials: "same-origin", cache: "no-store" });
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html").querySelector("main");
    if (!response.ok || !fresh) return;
    document.querySelector("main").replaceWith(fresh);
    if (fresh.hasAttribute("data-refresh")) setTimeout(refresh, 1000);
  }
  if (document.querySelector("main[data-refresh]")) setTimeout(refresh, 1000);
})();
