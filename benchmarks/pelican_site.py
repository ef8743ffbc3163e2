"""Turn a generated corpus into an equivalent minimal Pelican site.

    python benchmarks/pelican_site.py CORPUS SITE_DIR

The same page set as hugo_site.py: article pages, author pages (Pelican's AUTHOR pages) and
their A-Z list, the DOI index (a direct template) and the home page with the latest issue's
table of contents. Categories, tags, archives and feeds are switched off, and so is Pelican's
content cache, for a cold build. Pelican's Markdown metadata is one line of text per key, so
the structured parts of a record (people, affiliations, references) travel as one JSON line
that the templates decode with a `fromjson` filter. The map from DOI to local page, which
caseshelf builds in its site model and the Hugo site in a cached partial, is a setting here
(LOCAL_DOIS): Pelican's templates have no place to build it once per site.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import records

SETTINGS = """\
import json

SITENAME = {title!r}
SITEURL = {site_url!r}
ABBREVIATION = {abbreviation!r}
LATEST_VOLUME = {latest_volume!r}
LATEST_ISSUE = {latest_issue!r}
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = []
STATIC_PATHS = []
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = {language!r}
DEFAULT_PAGINATION = False
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
ARTICLE_URL = "articles/{{slug}}/"
ARTICLE_SAVE_AS = "articles/{{slug}}/index.html"
AUTHOR_URL = "authors/{{slug}}/"
AUTHOR_SAVE_AS = "authors/{{slug}}/index.html"
AUTHORS_SAVE_AS = "authors/index.html"
DIRECT_TEMPLATES = ["index", "authors", "doi"]
DOI_SAVE_AS = "doi/index.html"
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
JINJA_FILTERS = {{"fromjson": json.loads}}
"""

BASE = """\
<!doctype html>
<html lang="{{ DEFAULT_LANG }}">
<head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title></head>
<body>
<header><a href="{{ SITEURL }}/">{{ SITENAME }}</a>
<nav><a href="{{ SITEURL }}/authors/">Authors</a> <a href="{{ SITEURL }}/doi/">DOI index</a></nav></header>
<main>{% block content %}{% endblock %}</main>
</body>
</html>
"""

CITATION = """\
{% macro citation(article) %}{{ ABBREVIATION }}. {{ article.year }};{{ article.volume }}({{ article.issue }}):{{ article.pages }}{% endmacro %}
"""

ARTICLE = """\
{% extends "base.html" %}
{% from "citation.html" import citation with context %}
{% block title %}{{ article.title|striptags }} | {{ SITENAME }}{% endblock %}
{% block content %}
{% set record = article.record|fromjson %}
<article>
<h1>{{ article.title }}</h1>
<p class="byline">{% for author in article.authors %}{% set person = record.people[loop.index0] %}{% if not loop.first %}, {% endif %}<a href="{{ SITEURL }}/{{ author.url }}">{{ person.name }}</a><sup>{{ person.numbers|join(",") }}</sup>{% endfor %}</p>
<ol class="affiliations">{% for affiliation in record.affiliations %}<li>{{ affiliation.name }}, {{ affiliation.address }}, {{ affiliation.country }}</li>{% endfor %}</ol>
<p class="citation">{{ citation(article) }}</p>
<p class="doi"><a href="https://doi.org/{{ article.doi }}">https://doi.org/{{ article.doi }}</a></p>
<section class="abstract"><h2>Abstract</h2>{{ article.content }}</section>
<section class="about"><h2>About the authors</h2>{% for person in record.people %}
<h3>{{ person.name }}</h3><p>{{ person.degrees }} {{ person.position }}</p>{% if person.orcid %}<p><a href="https://orcid.org/{{ person.orcid }}">https://orcid.org/{{ person.orcid }}</a></p>{% endif %}{% if person.corresponding %}<p><a href="mailto:{{ person.email }}">{{ person.email }}</a></p>{% endif %}{% endfor %}
</section>
<section class="references"><h2>References</h2><ol>{% for reference in record.references %}
<li>{{ reference.text }}{% if reference.doi %} <a href="https://doi.org/{{ reference.doi }}">DOI</a>{% if reference.doi in LOCAL_DOIS %} <a href="{{ SITEURL }}/{{ LOCAL_DOIS[reference.doi] }}">in this archive</a>{% endif %}{% endif %}{% if reference.pmid %} <a href="https://pubmed.ncbi.nlm.nih.gov/{{ reference.pmid }}/">PubMed</a>{% endif %}</li>{% endfor %}
</ol></section>
</article>
{% endblock %}
"""

AUTHOR = """\
{% extends "base.html" %}
{% from "citation.html" import citation with context %}
{% block title %}{{ author.name }} | {{ SITENAME }}{% endblock %}
{% block content %}
<h1>{{ author.name }}</h1>
<ul>{% for article in articles %}
<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a> {{ citation(article) }}</li>{% endfor %}
</ul>
{% endblock %}
"""

AUTHORS = """\
{% extends "base.html" %}
{% block content %}
<h1>Authors</h1>
<ul>{% for author, author_articles in authors|sort(attribute="0.name") %}
<li><a href="{{ SITEURL }}/{{ author.url }}">{{ author.name }}</a> ({{ author_articles|length }})</li>{% endfor %}
</ul>
{% endblock %}
"""

DOI_INDEX = """\
{% extends "base.html" %}
{% from "citation.html" import citation with context %}
{% block content %}
<h1>DOI index</h1>
<ul>{% for article in articles|sort(attribute="doi") %}
<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.doi }}</a> {{ article.title }}. {{ citation(article) }}</li>{% endfor %}
</ul>
{% endblock %}
"""

INDEX = """\
{% extends "base.html" %}
{% from "citation.html" import citation with context %}
{% block content %}
<h1>{{ SITENAME }}</h1>
<h2>Volume {{ LATEST_VOLUME }}, issue {{ LATEST_ISSUE }}</h2>
<ol>{% for article in articles|selectattr("volume", "equalto", LATEST_VOLUME)|selectattr("issue", "equalto", LATEST_ISSUE)|sort(attribute="first_page") %}
<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a> {{ citation(article) }}</li>{% endfor %}
</ol>
<p><a href="{{ SITEURL }}/authors/">All authors</a> · <a href="{{ SITEURL }}/doi/">DOI index</a></p>
{% endblock %}
"""

TEMPLATES = {
    "base.html": BASE,
    "citation.html": CITATION,
    "article.html": ARTICLE,
    "author.html": AUTHOR,
    "authors.html": AUTHORS,
    "doi.html": DOI_INDEX,
    "index.html": INDEX,
}


def metadata(record: records.Record) -> dict[str, str]:
    front = record.front
    affiliations, numbers = record.numbered_affiliations()
    people = record.numbered_people(numbers)
    structured = {"people": people, "affiliations": affiliations, "references": front.get("references", [])}
    return {
        "Title": front["title"],
        "Slug": record.slug,
        "Date": str(front["published"]),
        "Authors": "; ".join(author["name"] for author in front["authors"]),
        "Doi": front["doi"],
        "Year": str(front["year"]),
        "Volume": str(front["volume"]),
        "Issue": str(front["issue"]),
        "Pages": str(front["pages"]),
        "First_page": f"{record.first_page:06d}",  # metadata is text: pad so it sorts as a number
        "Record": json.dumps(structured, ensure_ascii=False, default=str),
    }


def write_site(corpus: Path, site: Path) -> int:
    """Write the Pelican site for the corpus into site (replaced); return the number of articles."""
    if site.exists():
        shutil.rmtree(site)
    journal = records.read_journal(corpus)
    all_records = list(records.read_records(corpus))
    volume, issue = records.latest_issue(all_records)
    templates = site / "theme" / "templates"
    templates.mkdir(parents=True)
    for name, text in TEMPLATES.items():
        (templates / name).write_text(text, encoding="utf-8")
    local_dois = {r.front["doi"]: f"articles/{r.slug}/" for r in all_records}
    settings = SETTINGS.format(
        title=journal["title"], site_url=journal["base_url"].rstrip("/"), abbreviation=journal["abbreviation"],
        latest_volume=str(volume), latest_issue=str(issue), language=journal["language"],
    )
    # The DOI -> page map caseshelf builds in its model; Pelican gets it as a setting.
    settings += f"LOCAL_DOIS = json.loads({json.dumps(json.dumps(local_dois))})\n"
    (site / "pelicanconf.py").write_text(settings, encoding="utf-8")
    articles = site / "content" / "articles"
    articles.mkdir(parents=True)
    for record in all_records:
        header = "".join(f"{key}: {value}\n" for key, value in metadata(record).items())
        (articles / f"{record.slug}.md").write_text(f"{header}\n{record.abstract}", encoding="utf-8")
    return len(all_records)


def main(argv: list[str] | None = None) -> int:
    return records.converter_main(argv, __doc__.split("\n\n")[0], "Pelican", write_site)


if __name__ == "__main__":
    sys.exit(main())
