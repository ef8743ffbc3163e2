// The search page (/search/): loads Pagefind's UI from the bundle built into this site, runs the
// query from ?q= (the header search box and browsers' OpenSearch send it), and keeps ?q= and the
// filters chosen in step with what the reader types and ticks, so a search can be shared,
// bookmarked and returned to.
// The index comes in parts, each a Pagefind bundle (the newest year, then runs of older years;
// pagefind/parts.json lists them, newest first): the first part's UI searches them all, merged,
// through static/search-pagefind.js, which keeps close matches out of the results whenever
// some article has every word typed. Everything is loaded from here
// rather than by <script> tags, so that a site built with --no-search has no link to a missing
// file and can tell the reader why search is unavailable.
(function () {
  "use strict";

  var container = document.getElementById("search");
  if (!container) return;
  var indexDir = container.getAttribute("data-bundle");
  var base = container.getAttribute("data-base");
  var address = new URLSearchParams(window.location.search);
  var query = address.get("q") || "";

  function loadStylesheet(href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  // Readers paste DOIs as links or with a "doi:" prefix; the index holds the bare DOI. A link
  // holds its DOI percent-encoded (an old Wiley DOI's "<" as %3C, or %3c).
  function cleanTerm(term) {
    return term.replace(/https?:\/\/(?:dx\.)?doi\.org\/(\S*)/gi, function (link, doi) {
      return decodedOrAsIs(doi);
    }).replace(/\bdoi:\s*/gi, "");
  }

  function decodedOrAsIs(text) {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text; // a "%" that starts no escape
    }
  }

  // The module the UI searches with: Pagefind's, answering with the articles that have every
  // word typed whenever any has, else with close matches (see static/search-pagefind.js).
  var answersUrl = new URL("search-pagefind.js", document.currentScript.src).href;
  var answers = null;

  function hasOwn(object, name) {
    return Object.prototype.hasOwnProperty.call(object, name);
  }

  // A close match is marked with the words typed that it lacks.
  function markApproximate(result) {
    var missing = answers.missingFrom(result);
    if (!missing.length) return result;
    var quoted = missing.map(function (typed) {
      return "\u201c" + typed + "\u201d";
    });
    result.meta = Object.assign({}, result.meta, { approximate: "no " + quoted.join(", ") + " in this article, only words beginning like it" });
    return result;
  }

  // The notice, above the search box, that the results are close matches.
  function showApproximate(answer) {
    var notice = document.getElementById("search-approximate");
    if (!notice) return; // a search.html of the site's own
    notice.querySelector("[data-term]").textContent = answer.term;
    notice.hidden = !answer.closeMatches;
  }

  // The filters chosen, as the address keeps them: a filter's name once for each value chosen
  // (`?q=leukemia&Year=2024&Year=2025`). Only the index's filters: Pagefind's UI stopped at a
  // parameter named `__proto__`.
  function filtersIn(params, available) {
    var filters = {};
    params.forEach(function (value, name) {
      if (!hasOwn(available, name)) return;
      if (!hasOwn(filters, name)) filters[name] = [];
      filters[name].push(value);
    });
    return filters;
  }

  function rememberSearch() {
    var url = new URL(window.location.href);
    var params = new URLSearchParams();
    var box = container.querySelector("input[type=text], input[type=search]");
    var term = box ? box.value.trim() : "";
    if (term) params.set("q", term);
    container.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (checkbox) {
      params.append(checkbox.name, checkbox.value);
    });
    url.search = params.toString();
    window.history.replaceState(null, "", url);
  }

  // Pagefind's count of results ("3 results for leukemia") is no live region: after typing, a
  // screen reader's user heard nothing of what was found. It is repeated in one that is; not
  // while Pagefind says it is searching ("Searching for ...", at each keystroke).
  function announceCounts() {
    var status = document.getElementById("search-status");
    if (!status) return; // a search.html of the site's own
    new MutationObserver(function () {
      var message = container.querySelector(".pagefind-ui__message");
      var text = message ? message.textContent.trim() : "";
      if (/\.\.\.$|\u2026$/.test(text) || text === status.textContent) return;
      status.textContent = text;
    }).observe(container, { childList: true, subtree: true, characterData: true });
  }

  // Pagefind lists a filter's values as text (Vol. 1, Vol. 10, Vol. 2), and the years oldest
  // first; the page gives each filter's order, that of the site's issue list: newest first.
  // Pagefind's UI owns the list, so after each change its values are moved into that order, in
  // the document rather than only on screen: screen readers and the Tab key follow the document.
  var valueRanks = {};
  Object.entries(JSON.parse(container.getAttribute("data-filter-order") || "{}")).forEach(function (filter) {
    valueRanks[filter[0]] = new Map(filter[1].map(function (value, rank) {
      return [value, rank];
    }));
  });

  function rankOf(filterValue) {
    var checkbox = filterValue.querySelector(".pagefind-ui__filter-checkbox");
    var ranks = checkbox && hasOwn(valueRanks, checkbox.name) ? valueRanks[checkbox.name] : new Map();
    return checkbox && ranks.has(checkbox.value) ? ranks.get(checkbox.value) : ranks.size; // the unknown last, as they came
  }

  function orderFilterValues() {
    container.querySelectorAll(".pagefind-ui__filter-group").forEach(function (group) {
      var values = Array.from(group.querySelectorAll(":scope > .pagefind-ui__filter-value"));
      var ordered = values.slice().sort(function (one, other) {
        return rankOf(one) - rankOf(other);
      });
      if (ordered.some(function (value, at) { return value !== values[at]; })) {
        ordered.forEach(function (value) {
          group.appendChild(value);
        });
      }
    });
  }

  // Pagefind's box is named only by its tooltip (title="Search"), which most readers never see:
  // the page's heading above it is its visible label (axe's label-title-only).
  function labelSearchBox() {
    var heading = document.getElementById("search-heading");
    var box = container.querySelector("input[type=text], input[type=search]");
    if (heading && box) box.setAttribute("aria-labelledby", heading.id);
  }

  function showUnavailable() {
    container.hidden = true;
    document.getElementById("search-unavailable").hidden = false;
  }

  function start(available) {
    if (typeof window.PagefindUI !== "function") return showUnavailable();
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: answersUrl.slice(0, -"pagefind.js".length), // the UI imports <bundlePath>pagefind.js
      baseUrl: base,
      showImages: false,
      showSubResults: false,
      showEmptyFilters: false,
      resetStyles: false,
      excerptLength: 30,
      pageSize: 10,
      autofocus: !query,
      processTerm: cleanTerm,
      processResult: markApproximate,
    });
    labelSearchBox();
    announceCounts();
    new MutationObserver(orderFilterValues).observe(container, { childList: true, subtree: true });
    container.addEventListener("input", function (event) {
      if (!event.target.matches("input[type=text], input[type=search]")) return;
      rememberSearch();
      if (!event.target.value.trim()) showApproximate({ term: "", closeMatches: false }); // no search is run
    });
    container.addEventListener("change", function (event) {
      if (event.target.matches(".pagefind-ui__filter-checkbox")) rememberSearch();
    });
    var filters = filtersIn(address, available);
    if (Object.keys(filters).length) ui.triggerFilters(filters);
    if (query) ui.triggerSearch(query);
  }

  // Pagefind loads each filter's index (year, issue, type) when first asked. A search run while
  // they are still loading comes back without the filters not yet loaded, and the panel then
  // lacks them until the next keystroke. So the other parts are merged and the filters loaded
  // before the UI can search, in the module it searches with (and not by the UI's own
  // mergeIndex option: it would merge them again).
  function mergeParts(bundles) {
    return import(bundles[0] + "pagefind.js").then(function (pagefind) {
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
        })
        .then(function (filters) {
          return { pagefind: pagefind, filters: filters || {} };
        });
    });
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
      Promise.all([mergeParts(bundles), import(answersUrl)]).then(function (loaded) {
        answers = loaded[1];
        answers.use(loaded[0].pagefind, list.parts, loaded[0].filters, showApproximate);
        start(loaded[0].filters);
      }, showUnavailable);
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
