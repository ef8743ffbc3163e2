// The Pagefind module that the search page's UI searches with: static/search.js points the UI's
// bundlePath at this folder, and the UI imports `<bundlePath>pagefind.js`. It is Pagefind's own
// module, with every part of the index merged in (see `use`), answering each search with the
// articles that have every word typed whenever any has, and with close matches only when none
// has. So what the page counts, in its total and in its filters, is what it lists.
//
// Pagefind answers a word that no indexed word begins with by the longest indexed word that
// begins it ("zzqqxx" finds the articles with an initial "Z."), and counts those close matches
// with the rest; it cannot be told not to (Pagefind/pagefind#780). Each part of the index
// answers for itself: the sample journal's DOI of 2025 was its article in the part of 2025 and,
// in the part of 2024, which has no such DOI, the four articles whose DOIs begin with "10" (five
// results). What a part lacks is found out once per word typed (a few searches, and at most one
// article's text per part), and a search is then run in the parts that have every word.

var pagefind = null; // Pagefind's module, every part merged
var parts = []; // pagefind/parts.json: {name, years: [first, last]}, newest first
var years = []; // the values of the Year filter: a part's articles are those of its years
var lacking = new Map(); // a word typed -> (a promise of) the names of the parts that lack it
var answered = { lackingIn: {}, closeMatches: false }; // the search the UI was last answered
var report = function () {};
var searches = 0;

// `filters`: Pagefind's filters with every part loaded; `onSearch` is told, after each search,
// its term and whether its results are close matches.
export function use(module, indexParts, filters, onSearch) {
  pagefind = module;
  report = onSearch;
  years = Object.keys(filters.Year || {});
  // Without years (a theme whose article pages give no Year filter) no part can be searched
  // alone: Pagefind's answers are given as they come.
  parts = years.length ? indexParts : [];
}

// Pagefind's API, as its UI uses it.
export function options(settings) {
  return pagefind.options(settings);
}

export function mergeIndex(path, settings) {
  return pagefind.mergeIndex(path, settings);
}

export function filters() {
  return pagefind.filters();
}

export function preload(term, settings) {
  return pagefind.preload(term, settings);
}

export function destroy() {
  return pagefind.destroy();
}

export async function search(term, settings) {
  var asked = ++searches;
  var lackingIn = await partsLacking(typedWords(term || ""));
  var complete = parts.filter(function (part) {
    return !lackingIn[part.name].length;
  });
  var found = await searchWithin(complete, term, settings || {});
  var response = found || (await pagefind.search(term, settings));
  if (asked === searches) {
    answered = { lackingIn: lackingIn, closeMatches: !found };
    report({ term: term, closeMatches: !found && response.results.length > 0 });
  }
  return response;
}

// The words typed that a result of the last search lacks: none but for close matches.
export function missingFrom(result) {
  var year = Number(((result.filters || {}).Year || [])[0]);
  var part = parts.find(function (each) {
    return each.years[0] <= year && year <= each.years[1];
  });
  return answered.closeMatches && part ? answered.lackingIn[part.name] : [];
}

// The search in the parts that have every word typed; null when no article there has them all
// (with the filters chosen or without: the filters narrow the results, they do not turn close
// matches into results).
async function searchWithin(complete, term, settings) {
  if (complete.length === parts.length) return pagefind.search(term, settings);
  if (!complete.length) return null;
  var within = inParts(complete);
  var chosen = settings.filters || {};
  var response = await pagefind.search(term, Object.assign({}, settings, { filters: { all: [chosen, within] } }));
  if (response.results.length) return response;
  var unfiltered = await pagefind.search(term, { filters: within });
  return unfiltered.results.length ? response : null;
}

function inParts(some) {
  var chosen = years.filter(function (year) {
    return some.some(function (part) {
      return part.years[0] <= Number(year) && Number(year) <= part.years[1];
    });
  });
  return { Year: { any: chosen } };
}

// Part name -> the words typed that it lacks.
async function partsLacking(words) {
  var lackingIn = {};
  parts.forEach(function (part) {
    lackingIn[part.name] = [];
  });
  var where = await Promise.all(words.map(partsLackingWord));
  words.forEach(function (typed, at) {
    where[at].forEach(function (name) {
      lackingIn[name].push(typed.text);
    });
  });
  return lackingIn;
}

function partsLackingWord(typed) {
  if (!lacking.has(typed.text)) {
    var finding = findPartsLacking(typed);
    finding.catch(function () {
      lacking.delete(typed.text); // asked again next time
    });
    lacking.set(typed.text, finding);
  }
  return lacking.get(typed.text);
}

async function findPartsLacking(typed) {
  var found = await Promise.all(parts.map(function (part) {
    return hasWordIn(part, typed);
  }));
  return parts.filter(function (_, at) {
    return !found[at];
  }).map(function (part) {
    return part.name;
  });
}

// Whether Pagefind finds the word typed in a part of the index, rather than a shorter word: the
// part has the word or another form of it (Pagefind's exact search, for a word in quotes:
// "transplantation" also finds "transplant", which begins otherwise), or the first article
// found there has a word beginning with it ("leuk"), read from the words Pagefind found in it.
async function hasWordIn(part, typed) {
  if (await firstResultIn(part, '"' + typed.text + '"')) return true;
  var first = await firstResultIn(part, typed.text);
  return Boolean(first) && hasWord(await first.data(), typed);
}

async function firstResultIn(part, term) {
  var response = await pagefind.search(term, { filters: inParts([part]) });
  return response.results[0] || null;
}

// --- the words typed, and the words Pagefind found ----------------------------------------------

function folded(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function segments(word) {
  return folded(word).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

// Pagefind splits a query at spaces; a word typed is also read as its letters and digits run
// together ("E.B." is "eb"), and as its segments ("Iu.A.": "iu", "a").
function typedWords(term) {
  return term.split(/\s+/).map(function (text) {
    var pieces = segments(text);
    return { text: text, word: pieces.join(""), pieces: pieces };
  }).filter(function (typed) {
    return typed.word;
  });
}

// A found word read from each of its segments on, as Pagefind also indexes the parts of a
// compound: "KMT2A-rearranged" is found by "rearranged", an ORCID link by the bare ORCID iD.
function readings(word) {
  var pieces = segments(word);
  return pieces.map(function (_, first) {
    return pieces.slice(first).join("");
  });
}

// Pagefind finds the words beginning with the word typed, and other forms of an English word
// (its stem: "therapies" finds "therapy"); a stem differs in its last letters only, so "PTPN12"
// or "KMT2B" is not a form of the PTPN11 or KMT2A found instead.
function isFormOf(reading, typed) {
  var shared = 0;
  while (shared < typed.length && reading[shared] === typed[shared]) shared++;
  if (shared === typed.length) return true;
  return /^\p{L}+$/u.test(typed) && shared >= Math.max(4, typed.length - 3);
}

// Whether an article found (its data) has the word typed, among the words Pagefind found in it:
// as typed or in another form; or, for a word typed with points or hyphens, its parts but
// initials, each a word found ("Iu.A." by the "Iu" of "Iu A Smirnova"; not 10.5555/x.11.1.12
// by the "10", "5555", "x" and "110" of 10.5555/x.12.1.10).
function hasWord(data, typed) {
  var words = data.content.split(/\s+/);
  var found = [];
  data.locations.forEach(function (at) {
    found.push.apply(found, readings(words[at] || ""));
  });
  var named = typed.pieces.filter(function (piece) {
    return piece.length > 1;
  });
  return found.some(function (reading) {
    return isFormOf(reading, typed.word);
  }) || (named.length > 0 && named.every(function (piece) {
    return found.indexOf(piece) >= 0;
  }));
}
