// The search page (/search/): loads Pagefind's UI from the bundle built into this site, runs the
// query from ?q= (the header search box and browsers' OpenSearch send it), and keeps ?q= in
// step with what the reader types, so a search can be shared, bookmarked and returned to.
// The index comes in parts, each a Pagefind bundle (the newest year, then runs of older years;
// pagefind/parts.json lists them, newest first): the first part's UI searches them all, merged. Everything is loaded from here
// rather than by <script> tags, so that a site built with --no-search has no link to a missing
// file and can tell the reader why search is unavailable.
(function () {
  "use strict";

  var container = document.getElementById("search");
  if (!container) return;
  var indexDir = container.getAttribute("data-bundle");
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

  function start(bundles) {
    if (typeof window.PagefindUI !== "function") return showUnavailable();
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundles[0],
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
  // lacks them until the next keystroke. So the other parts are merged and the filters loaded
  // before the UI can search: the UI imports the same module, and finds them there (which is
  // also why the parts are not given to the UI's own mergeIndex option: it would merge them
  // again).
  function mergeParts(bundles) {
    return import(bundles[0] + "pagefind.js")
      .then(function (pagefind) {
        return pagefind
          .options({ baseUrl: base })
          .then(function () {
            // One after the other, newest year first: results of equal score keep that order.
            return bundles.slice(1).reduce(function (merged, other) {
              return merged.then(function () {
                return pagefind.mergeIndex(other, { baseUrl: base });
              });
            }, Promise.resolve());
          })
          .then(function () {
            return pagefind.filters();
          });
      })
      .catch(function () {}); // the UI reports a missing bundle itself
  }

  function loadParts(list) {
    var bundles = list.parts.map(function (part) {
      return indexDir + part.name + "/";
    });
    if (!bundles.length) return showUnavailable();
    loadStylesheet(bundles[0] + "pagefind-ui.css");
    var script = document.createElement("script");
    script.src = bundles[0] + "pagefind-ui.js";
    script.onload = function () {
      mergeParts(bundles).then(function () {
        start(bundles);
      });
    };
    script.onerror = showUnavailable;
    document.head.appendChild(script);
  }

  fetch(indexDir + "parts.json")
    .then(function (response) {
      if (!response.ok) throw new Error("no search index");
      return response.json();
    })
    .then(loadParts, showUnavailable);
})();
