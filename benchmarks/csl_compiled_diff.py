"""The compiled CSL styles (caseshelf/exports/csl_compiled.py) against citeproc-py, item by item.

    PYTHONPATH=. python benchmarks/csl_compiled_diff.py [--styles a,b] [--speed N] CORPUS...

A CORPUS is a content directory (loaded and built as caseshelf does) or "adversarial" (the
hand-made items below). Every item is formatted by the compiled style and by citeproc-py, in
each style; a style's line counts the items whose texts are identical, those the compiled
style declined (citeproc-py formats them), and those that differ, which must be none.
--speed N also times N items of the first corpus both ways, with no cache in between.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from citeproc.source.json import CiteProcJSON

from caseshelf.exports import citation_style
from caseshelf.exports.csl import citation_item

REPO = Path(__file__).resolve().parents[1]
STYLES = (
    "nlm-citation-sequence", str(REPO / "content/citation-style.csl"), "vancouver", "elsevier-vancouver",
    "american-medical-association",
    "apa", "gost-r-7-0-5-2008-numeric", "ieee", "chicago-author-date", "harvard-cite-them-right",
)  # fmt: skip

_BASE = {
    "id": "10.5555/adversarial", "type": "article-journal", "title": "A case of something",
    "container-title": "Journal of Invented Cases", "container-title-short": "J Invent Cases",
    "author": [{"family": "Smith", "given": "John"}, {"family": "Doe", "given": "Jane"}],
    "issued": {"date-parts": [[2024]]}, "language": "en", "volume": "12", "issue": "3", "page": "89-96",
}  # fmt: skip


def _people(count: int) -> list[dict[str, str]]:
    return [{"family": f"Author{number}", "given": f"Given{number} Middle"} for number in range(1, count + 1)]


#: Name lists, titles, numbers and dates that take citeproc-py's less travelled paths.
_VARIATIONS: list[dict[str, Any]] = [
    {"author": [{"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}]},
    {"author": [{"family": "Fontaine", "given": "Jean", "dropping-particle": "de la"}, {"family": "van Gogh", "given": "Vincent"}]},
    {"author": [{"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la", "suffix": "Jr."}]},
    {"author": [{"literal": "Group for the Study of Cases"}]},
    {"author": [{"literal": "Группа исследователей «Пример»"}, {"family": "Smith", "given": "J."}]},
    {"author": _people(1)}, {"author": _people(2)}, {"author": _people(3)}, {"author": _people(4)},
    {"author": _people(6)}, {"author": _people(7)}, {"author": _people(8)}, {"author": _people(12)},
    {"author": [{"family": "王", "given": "小明"}, {"family": "Смирнова", "given": "Ирина Петровна"}]},
    {"author": [{"family": "Núñez-García", "given": "José"}, {"family": "Dupont", "given": "Jean-Pierre"}]},
    {"author": [{"family": "Dupont", "given": "J.-P."}, {"family": "Lee", "given": "A.B."}, {"family": "Ng", "given": "de"}]},
    {"author": [{"family": "Ильин", "given": "Ж."}, {"family": "Захаров", "given": "Н. Ю."}]},
    {"author": [{"family": "Solo"}], "title": "Family name only"},
    {"author": []}, {"author": None},
    {"volume": None}, {"issue": None}, {"page": None}, {"volume": None, "issue": None, "page": None},
    {"issue": None, "page": None}, {"volume": 7, "issue": 2}, {"volume": "Suppl 2", "issue": "3-4"},
    {"title": "Is it a case?"}, {"title": "It is a case."}, {"title": "A case!"}, {"title": "Ends with a colon:"},
    {"title": "A “quoted” case and a \"plain\" one, 'single' too"}, {"title": "Case … with an ellipsis..."},
    {"title": "the lower-case title of a CASE in the ICU"}, {"title": "Leukaemia in vivo: a review of the literature"},
    {"title": 'A <span class="nocase">mRNA</span> case'}, {"title": "Эффект in vivo у младенцев: Ünïcödé 中文 title"},
    {"page": "1203-1210"}, {"page": "e12"}, {"page": "5"}, {"page": "12–19"}, {"page": "100-105, 110"},
    {"page": "A1-A5"}, {"page": "321-28"}, {"page": "1-"}, {"page": "e1203-e1210"}, {"page": "S12-S15"},
    {"page": "S9-10"}, {"page": "12a-15a"}, {"page": "iii-iv"},
    {"issued": {"date-parts": [[2024, 3, 5]]}}, {"issued": {"date-parts": [[2024, 11]]}}, {"issued": {"date-parts": [[987]]}},
    {"issued": {"literal": "Spring 2020"}}, {"issued": None},
    {"container-title-short": None}, {"container-title": "Acta Med.", "container-title-short": "Acta Med."},
    {"language": "ru"}, {"language": None}, {"language": "en-GB"},
    {"DOI": "10.5555/x"}, {"DOI": "10.5555/x", "URL": "https://example.org/x", "PMID": "123"},
    {"type": "book", "publisher": "Medica", "publisher-place": "Moscow", "edition": "2", "number-of-pages": "310"},
    {"type": "chapter", "editor": [{"family": "Editor", "given": "Eve"}], "publisher": "Medica"},
    {"type": "webpage", "URL": "https://example.org/case", "accessed": {"date-parts": [[2024, 5, 1]]}},
    {"type": "report", "number": "17", "publisher": "Ministry of Health", "medium": "Internet"},
]


def adversarial_items() -> list[dict[str, Any]]:
    """The base article with each variation (a None removes the field)."""
    items = []
    for number, variation in enumerate(_VARIATIONS):
        item = {**_BASE, **variation, "id": f"10.5555/adversarial.{number}"}
        items.append({key: value for key, value in item.items() if value is not None})
    return items


def corpus_items(corpus: str) -> list[dict[str, Any]]:
    if corpus == "adversarial":
        return adversarial_items()
    from caseshelf.loading import load_content
    from caseshelf.site import build_site

    site = build_site(load_content(Path(corpus), jobs=1))
    return [citation_item(article, site.journal) for article in site.articles]


def both_ways(style: str, item: dict[str, Any]) -> tuple[str | None, str]:
    """(the compiled style's text or None where it declined, citeproc-py's text)."""
    item_json = json.dumps(item, sort_keys=True, ensure_ascii=False)
    fingerprint = citation_style.style_fingerprint(style)
    (reference,) = CiteProcJSON([json.loads(item_json)]).values()
    compiled = citation_style._compiled_text(style, fingerprint, reference)
    return (None if compiled is None else citation_style._spaced(compiled)), citation_style._format(style, item_json)


def compare(style: str, items: list[dict[str, Any]]) -> tuple[int, int, list[tuple[dict, str, str]]]:
    """(identical, declined, [(item, compiled, citeproc) for each difference])."""
    identical, declined, different = 0, 0, []
    for item in items:
        compiled, expected = both_ways(style, item)
        if compiled is None:
            declined += 1
        elif compiled == expected:
            identical += 1
        else:
            different.append((item, compiled, expected))
    return identical, declined, different


def time_both_ways(style: str, items: list[dict[str, Any]]) -> tuple[float, float]:
    """Milliseconds per citation: by format_citation as a build calls it, with the compiled
    style and with citeproc-py alone; each run from an empty citation cache, styles loaded."""
    item_jsons = [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items]
    times = []
    for formatter in (citation_style._format_item, lambda name, fingerprint, item_json: citation_style._format(name, item_json)):
        best = float("inf")
        for _ in range(3):
            citation_style._formatted.clear()
            fingerprint = citation_style.style_fingerprint(style)
            start = time.perf_counter()
            for item_json in item_jsons:
                formatter(style, fingerprint, item_json)
            best = min(best, time.perf_counter() - start)
        times.append(1000 * best / len(items))
    return times[0], times[1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+")
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--speed", type=int, default=0)
    options = parser.parse_args(argv)
    styles = options.styles.split(",")
    corpora = {corpus: corpus_items(corpus) for corpus in options.corpora}
    failed = False
    for corpus, items in corpora.items():
        for style in styles:
            try:
                citation_style.check_style(style)
            except citation_style.StyleError as error:
                print(f"{corpus}\t{Path(style).name}\tunavailable: {error}")
                continue
            identical, declined, different = compare(style, items)
            failed = failed or bool(different)
            print(f"{corpus}\t{Path(style).name}\tidentical {identical}\tdeclined {declined}\tdifferent {len(different)}", flush=True)
            for item, compiled, expected in different[:3]:
                print(f"    item     {json.dumps(item, ensure_ascii=False)}\n    compiled {compiled!r}\n    citeproc {expected!r}")
    if options.speed:
        items = next(iter(corpora.values()))[: options.speed]
        for style in styles:
            if style == "vancouver":
                continue
            compiled, citeproc = time_both_ways(style, items)
            print(f"speed\t{Path(style).name}\t{len(items)} items\tcompiled {compiled:.3f} ms\tciteproc {citeproc:.3f} ms\t×{citeproc / compiled:.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
