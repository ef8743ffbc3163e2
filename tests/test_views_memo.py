"""Views keep links and article summaries for the site being rendered: a new site (a rebuild in
`serve`, another base URL) must never see the previous site's values; and the A–Z letter of the
authors index keeps python-slugify's filing when it skips transliterating."""

from __future__ import annotations

from pathlib import Path

import pytest
from slugify import slugify

from caseshelf import article_views, view_builders, views
from caseshelf.loading import load_content
from caseshelf.site import build_site, index_letter

FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "site"


def _site(base_url: str):
    return build_site(load_content(FIXTURE, base_url))


def _all_links(site) -> list[str]:
    pages = [article_views.article_page(site, article) for article in site.articles]
    pages += [view_builders.author_page(site, person, 1) for person in site.people]
    urls = [author.url for page in pages if isinstance(page, views.ArticlePage) for author in page.byline]
    urls += [link.url for page in pages if isinstance(page, views.ArticlePage) for link in page.keywords]
    urls += [summary.url for page in pages if isinstance(page, views.AuthorPage) for summary in page.articles]
    urls += [link.url for page in pages if isinstance(page, views.AuthorPage) for link in page.coauthors]
    urls += [entry.url for group in view_builders.authors_index_page(site, 1).groups for entry in group.entries]
    return urls


def test_a_new_site_gets_its_own_links():
    first = _all_links(_site("https://example.org/first/"))
    second = _all_links(_site("https://example.org/second/"))
    assert first and len(first) == len(second)
    assert all(url.startswith("/first/") for url in first)
    assert all(url.startswith("/second/") for url in second)


def test_memoised_views_equal_freshly_built_ones():
    site = _site("https://example.org/j/")
    twice = [article_views.article_page(site, article) for article in site.articles for _ in range(2)]
    assert twice[0::2] == twice[1::2]
    people = [(view_builders.author_page(site, person, 1), view_builders.author_page(site, person, 1)) for person in site.people]
    assert all(first == second for first, second in people)


def _slugify_letter(family_name: str) -> str:
    """The rule as first written: the first letter of the slug, '#' if it is not a letter."""
    letter = slugify(family_name)[:1].upper()
    return letter if letter.isalpha() else "#"


@pytest.mark.parametrize(
    "family_name",
    ["Smith", "smith", "O'Brien", "van der Berg", "Ávila", "Øster", "Ångström", "Смирнова", "Шукуров",
     "Ünal", "Đorđević", "Łukasz", "王", "123 Study Group", "&amp;Co", "&#65;bc", "'Quoted'", "-dash", ""],
)  # fmt: skip
def test_index_letter_is_slugify_first_letter(family_name):
    assert index_letter(family_name) == _slugify_letter(family_name)
