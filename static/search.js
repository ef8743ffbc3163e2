// The search page (/search/): loads Pagefind's UI from the bundle built into this site, runs the
// query from ?q= (the header search box and browsers' OpenSearch send it), and keeps ?q= and the
// filters chosen in step with what the reader types and ticks, so a search can be shared,
// bookmarked and returned to.
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
  var address = new URLSearchParams(window.location.search);
  var query = address.get("q") || "";

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

  // Pagefind answers a word that no indexed word begins with by the words beginning like it
  // (it shortens the word until some do: "zzqqxx" finds the articles with an initial "Z."),
  // and counts them as results all the same; it cannot be told not to (Pagefind/pagefind#780).
  // So each result is checked for the words typed, among the words Pagefind found in it: one
  // without them all is marked, and the page says so when no result has them all.
  var typedTerm = "";
  var typedWords = [];
  var resultsSeen = { complete: 0, approximate: 0 };

  function hasOwn(object, name) {
    return Object.prototype.hasOwnProperty.call(object, name);
  }

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function segments(word) {
    return folded(word).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // A found word read from each of its segments on, as Pagefind also indexes the parts of a
  // compound: "KMT2A-rearranged" is found by "rearranged", an ORCID link by the bare ORCID iD.
  function readings(word) {
    var parts = segments(word);
    return parts.map(function (_, first) {
      return parts.slice(first).join("");
    });
  }

  // Pagefind finds the words beginning with the word typed, and other forms of an English
  // word (its stem: "therapies" finds "therapy"); a stem differs in its last letters only, so
  // "PTPN12" or "KMT2B" is not a form of the PTPN11 or KMT2A found instead.
  function isFormOf(reading, typed) {
    var shared = 0;
    while (shared < typed.length && reading[shared] === typed[shared]) shared++;
    if (shared === typed.length) return true;
    return /^\p{L}+$/u.test(typed) && shared >= Math.max(4, typed.length - 3);
  }

  // A word typed with points or hyphens is found whole ("E.B." as in "Machneva E.B.") or by
  // its parts but initials ("Iu.A." by the "Iu" of "Iu A Smirnova": Pagefind shortens "iua").
  function missingWords(result) {
    var words = result.content.split(/\s+/);
    var found = [];
    result.locations.forEach(function (at) {
      found.push.apply(found, readings(words[at] || ""));
    });
    function isFound(word) {
      return found.some(function (reading) {
        return isFormOf(reading, word);
      });
    }
    return typedWords.filter(function (typed) {
      var named = typed.parts.filter(function (part) {
        return part.length > 1;
      });
      return !isFound(typed.word) && !(named.length && named.every(isFound));
    });
  }

  // Also called when only the filters change: the results already seen (and marked) are not
  // shown to markApproximate again, so they keep being counted.
  function checkTerm(term) {
    var cleaned = cleanTerm(term);
    if (cleaned === typedTerm) return cleaned;
    typedTerm = cleaned;
    typedWords = cleaned.split(/\s+/).map(function (typed) {
      var parts = segments(typed);
      return { text: typed, word: parts.join(""), parts: parts };
    }).filter(function (typed) {
      return typed.word;
    });
    resultsSeen = { complete: 0, approximate: 0 };
    showApproximate(cleaned);
    return cleaned;
  }

  function markApproximate(result) {
    var missing = missingWords(result);
    resultsSeen[missing.length ? "approximate" : "complete"] += 1;
    showApproximate();
    if (!missing.length) return result;
    var quoted = missing.map(function (typed) {
      return "\u201c" + typed.text + "\u201d";
    });
    result.meta = Object.assign({}, result.meta, { approximate: "no " + quoted.join(", ") + " in this article, only words beginning like it" });
    return result;
  }

  function showApproximate(term) {
    var notice = document.getElementById("search-approximate");
    if (!notice) return;
    if (term !== undefined) notice.querySelector("[data-term]").textContent = term;
    notice.hidden = !(resultsSeen.approximate && !resultsSeen.complete);
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

  function showUnavailable() {
    container.hidden = true;
    document.getElementById("search-unavailable").hidden = false;
  }

  function start(bundles, available) {
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
      processTerm: checkTerm,
      processResult: markApproximate,
    });
    announceCounts();
    new MutationObserver(orderFilterValues).observe(container, { childList: true, subtree: true });
    container.addEventListener("input", function (event) {
      if (event.target.matches("input[type=text], input[type=search]")) rememberSearch();
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
      mergeParts(bundles).then(function (available) {
        start(bundles, available || {});
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
