// The search page (/search/): loads Pagefind's UI from the bundle built into this site, runs the
// query from ?q= (the header search box and browsers' OpenSearch send it), and keeps ?q= in
// step with what the reader types, so a search can be shared, bookmarked and returned to.
// The bundle is loaded from here rather than by a <script> tag so that a site built with
// --no-search has no link to a missing file and can tell the reader why search is unavailable.
(function () {
  "use strict";

  var container = document.getElementById("search");
  if (!container) return;
  var bundle = container.getAttribute("data-bundle");
  var base = container.getAttribute("data-base");
  var query = new URLSearchParams(window.location.search).get("q") || "";

  function loadStylesheet(href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  // Readers paste DOIs as links or with a "doi:" prefix; the index holds the bare DOI.
  function cleanTerm(term) {
    return term.replace(/https?:\/\/(dx\.)?doi\.org\//gi, "").replace(/\bdoi:\s*/gi, "");
  }

  function rememberQuery(term) {
    var url = new URL(window.location.href);
    if (term) url.searchParams.set("q", term);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }

  function showUnavailable() {
    container.hidden = true;
    document.getElementById("search-unavailable").hidden = false;
  }

  function start() {
    if (typeof window.PagefindUI !== "function") return showUnavailable();
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: base,
      showImages: false,
      showSubResults: false,
      showEmptyFilters: false,
      resetStyles: false,
      excerptLength: 30,
      pageSize: 10,
      autofocus: !query,
      processTerm: cleanTerm,
    });
    container.addEventListener("input", function (event) {
      if (event.target.matches("input[type=text], input[type=search]")) rememberQuery(event.target.value.trim());
    });
    if (query) ui.triggerSearch(query);
  }

  // Pagefind loads each filter's index (year, issue, type) when first asked. A search run while
  // they are still loading comes back without the filters not yet loaded, and the panel then
  // lacks them until the next keystroke. So the filters are loaded before the UI can search:
  // the UI imports the same module, and finds them there.
  function loadFilters() {
    return import(bundle + "pagefind.js")
      .then(function (pagefind) {
        return pagefind.options({ baseUrl: base }).then(function () {
          return pagefind.filters();
        });
      })
      .catch(function () {}); // the UI reports a missing bundle itself
  }

  loadStylesheet(bundle + "pagefind-ui.css");
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = function () {
    loadFilters().then(start);
  };
  script.onerror = showUnavailable;
  document.head.appendChild(script);
})();
