"""Turn a generated corpus into an equivalent minimal Hugo site.

    python benchmarks/hugo_site.py CORPUS SITE_DIR

The site has the pages the issue's comparison asks for and nothing else: one page per article
(title, byline linking each author to their page with affiliation numbers, numbered
affiliations, abstract, about the authors, references with DOI/PubMed links and a local link
when the DOI is an article of the archive, the DOI), one page per author (Hugo taxonomy
`authors`) and the A-Z list of them, the DOI index, and a home page with the latest issue's
table of contents. RSS, sitemap, section lists and 404 are switched off. Front matter is YAML,
as in the records, so Hugo parses the same kind of input caseshelf does.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import records
import yamlout

CONFIG = """\
baseURL = "{base_url}"
locale = "{language}"
title = "{title}"
disableKinds = ["rss", "sitemap", "robotstxt", "404", "section"]

[taxonomies]
  author = "authors"

[permalinks.page]
  articles = "/articles/:slug/"

[params]
  abbreviation = "{abbreviation}"
  latest_volume = {latest_volume}
  latest_issue = {latest_issue}
"""

BASEOF = """\
<!doctype html>
<html lang="{{ site.Language.Locale }}">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "authors/" | relURL }}">Authors</a> <a href="{{ "doi/" | relURL }}">DOI index</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

CITATION = """\
{{ site.Params.abbreviation }}. {{ .Params.year }};{{ .Params.volume }}({{ .Params.issue }}):{{ .Params.pages }}\
"""

# Built once per build (partialCached), like caseshelf's DOI index, for local reference links.
DOI_MAP = """\
{{ $map := newScratch }}
{{ range where site.RegularPages "Section" "articles" }}{{ $map.SetInMap "doi" .Params.doi .RelPermalink }}{{ end }}
{{ return $map.Get "doi" }}
"""

PAGE = """\
{{ define "main" }}
{{ $local := partialCached "doi-map.html" . "all" }}
<article>
<h1>{{ .Title }}</h1>
<p class="byline">{{ range $i, $p := .Params.people }}{{ if $i }}, {{ end }}<a href="{{ printf "authors/%s/" (urlize $p.name) | relURL }}">{{ $p.name }}</a><sup>{{ delimit $p.numbers "," }}</sup>{{ end }}</p>
<ol class="affiliations">{{ range .Params.affiliations }}<li>{{ .name }}, {{ .address }}, {{ .country }}</li>{{ end }}</ol>
<p class="citation">{{ partial "citation.html" . }}</p>
<p class="doi"><a href="https://doi.org/{{ .Params.doi }}">https://doi.org/{{ .Params.doi }}</a></p>
<section class="abstract"><h2>Abstract</h2>{{ .Content }}</section>
<section class="about"><h2>About the authors</h2>{{ range .Params.people }}
<h3>{{ .name }}</h3><p>{{ .degrees }} {{ .position }}</p>{{ with .orcid }}<p><a href="https://orcid.org/{{ . }}">https://orcid.org/{{ . }}</a></p>{{ end }}{{ if .corresponding }}<p><a href="mailto:{{ .email }}">{{ .email }}</a></p>{{ end }}{{ end }}
</section>
<section class="references"><h2>References</h2><ol>{{ range .Params.references }}
<li>{{ .text }}{{ with .doi }} <a href="https://doi.org/{{ . }}">DOI</a>{{ with index $local . }} <a href="{{ . }}">in this archive</a>{{ end }}{{ end }}{{ with .pmid }} <a href="https://pubmed.ncbi.nlm.nih.gov/{{ . }}/">PubMed</a>{{ end }}</li>{{ end }}
</ol></section>
</article>
{{ end }}
"""

# An author's articles, newest first: Hugo's default order for a list of pages (weight, then
# date descending). `.Pages.ByDate.Reverse` says the same, but in Hugo 0.168 it cost 4.4 ms an
# author page instead of 0.36 ms on the 10,000-article corpus (`--templateMetrics`: 48 s of a
# 64 s build, against 3.9 s). Both list the same pages, newest first (ties fall differently).
# The comparison should give Hugo its natural fast path, not a slow one.
TERM = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ partial "citation.html" . }}</li>{{ end }}
</ul>
{{ end }}
"""

TAXONOMY = """\
{{ define "main" }}
<h1>Authors</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>
{{ end }}
"""

DOI_INDEX = """\
{{ define "main" }}
<h1>DOI index</h1>
<ul>{{ range sort (where site.RegularPages "Section" "articles") "Params.doi" }}
<li><a href="{{ .RelPermalink }}">{{ .Params.doi }}</a> {{ .Title }}. {{ partial "citation.html" . }}</li>{{ end }}
</ul>
{{ end }}
"""

HOME = """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<h2>Volume {{ site.Params.latest_volume }}, issue {{ site.Params.latest_issue }}</h2>
<ol>{{ range sort (where (where site.RegularPages "Params.volume" site.Params.latest_volume) "Params.issue" site.Params.latest_issue) "Params.first_page" }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ partial "citation.html" . }}</li>{{ end }}
</ol>
<p><a href="{{ "authors/" | relURL }}">All authors</a> · <a href="{{ "doi/" | relURL }}">DOI index</a></p>
{{ end }}
"""

LAYOUTS = {
    "baseof.html": BASEOF,
    "home.html": HOME,
    "page.html": PAGE,
    "term.html": TERM,
    "taxonomy.html": TAXONOMY,
    "doi-index.html": DOI_INDEX,
    "_partials/citation.html": CITATION,
    "_partials/doi-map.html": DOI_MAP,
}


def front_matter(record: records.Record) -> dict:
    front = record.front
    affiliations, numbers = record.numbered_affiliations()
    people = record.numbered_people(numbers)
    return {
        "title": front["title"],
        "slug": record.slug,
        "date": front["published"],
        "doi": front["doi"],
        "year": front["year"],
        "volume": front["volume"],
        "issue": front["issue"],
        "pages": front["pages"],
        "first_page": record.first_page,
        "authors": [author["name"] for author in front["authors"]],
        "people": people,
        "affiliations": affiliations,
        "references": front.get("references", []),
    }


def write_site(corpus: Path, site: Path) -> int:
    """Write the Hugo site for the corpus into site (replaced); return the number of articles."""
    if site.exists():
        shutil.rmtree(site)
    journal = records.read_journal(corpus)
    all_records = list(records.read_records(corpus))
    volume, issue = records.latest_issue(all_records)
    for name, text in LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text(CONFIG.format(
        base_url=journal["base_url"], language=journal["language"], title=journal["title"],
        abbreviation=journal["abbreviation"], latest_volume=volume, latest_issue=issue,
    ), encoding="utf-8")
    content = site / "content"
    (content / "articles").mkdir(parents=True)
    (content / "_index.md").write_text("---\ntitle: Home\n---\n", encoding="utf-8")
    (content / "doi.md").write_text("---\ntitle: DOI index\nlayout: doi-index\nurl: /doi/\n---\n", encoding="utf-8")
    for record in all_records:
        text = f"---\n{yamlout.dump(front_matter(record))}---\n\n{record.abstract}"
        (content / "articles" / f"{record.slug}.md").write_text(text, encoding="utf-8")
    return len(all_records)


def main(argv: list[str] | None = None) -> int:
    return records.converter_main(argv, __doc__.split("\n\n")[0], "Hugo", write_site)


if __name__ == "__main__":
    sys.exit(main())
