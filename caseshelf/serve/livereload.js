// caseshelf live preview. `caseshelf serve` adds this script to the HTML it serves; it is never
// written into the built site. It listens to server-sent events: when the served site changes it
// reloads the page (or only the stylesheets, when nothing but CSS changed), and while the last
// build has failed it shows the build's problems over the last good page.
(() => {
  "use strict";
  const script = document.currentScript;
  const OVERLAY_ID = "caseshelf-build-problems";
  let shownSite = script.dataset.site;

  function refreshStyles(site) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("caseshelf-site", site);
      // Swap in a fresh copy and drop the old one once it has loaded: no flash of unstyled page.
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      fresh.addEventListener("error", () => fresh.remove(), { once: true });
      link.after(fresh);
    }
  }

  function makeOverlay() {
    const box = document.createElement("aside");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = [
      "position:fixed", "inset:auto 0 0 0", "z-index:2147483647", "max-height:60vh", "overflow:auto",
      "margin:0", "padding:1rem 1.25rem", "background:#5c0a0a", "color:#fff", "font:15px/1.45 system-ui,sans-serif",
      "box-shadow:0 -4px 16px rgba(0,0,0,.35)", "text-align:left",
    ].join(";");
    const heading = document.createElement("strong");
    heading.textContent = "The last build failed. This page is the last good build; fix the files and save, and this goes away.";
    const list = document.createElement("pre");
    list.style.cssText = "margin:.75rem 0 0;white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace;color:#fff;background:none";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "float:right;margin-left:1rem;font:inherit;cursor:pointer";
    close.addEventListener("click", () => box.remove());
    box.append(close, heading, list);
    return box;
  }

  function showProblems(problems) {
    const box = document.getElementById(OVERLAY_ID) || document.body.appendChild(makeOverlay());
    // textContent, never innerHTML: the problems quote what the records say.
    box.querySelector("pre").textContent = problems.join("\n");
  }

  function hideProblems() {
    const box = document.getElementById(OVERLAY_ID);
    if (box) box.remove();
  }

  const events = new EventSource(script.dataset.events);
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    if (state.site !== shownSite) {
      if (state.css_only_from !== shownSite) {
        events.close();
        location.reload();
        return;
      }
      refreshStyles(state.site);
      shownSite = state.site;
    }
    if (state.problems.length) showProblems(state.problems);
    else hideProblems();
  };
})();
