"""Records travel between processes and into the build cache pickled; they must come back equal,
of the same classes and as frozen as they were made."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

import caseshelf
from caseshelf.exports.fragments import ArticleFragments
from caseshelf.loading import load_content
from caseshelf.model import (
    RECORD_MODULES, Affiliation, Article, Author, Depositor, Journal, PackedFields, Pages, Reference, record_shapes,
)
from caseshelf.site import Person, Site
from caseshelf.views import ArticleSummary
from conftest import SAMPLE_CONTENT


def _records(value: object) -> list[object]:
    """`value` and every record nested in it, depth first."""
    found = [value]
    for field in dataclasses.fields(value):
        nested = getattr(value, field.name)
        for item in nested if isinstance(nested, tuple) else (nested,):
            if dataclasses.is_dataclass(item):
                found += _records(item)
    return found


def test_every_record_of_the_sample_journal_comes_back_equal_and_frozen():
    loaded = load_content(SAMPLE_CONTENT)
    copied = pickle.loads(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    assert copied == loaded
    originals, copies = _records(loaded), _records(copied)
    assert [type(record) for record in copies] == [type(record) for record in originals]
    assert {Journal, Article, Author, Affiliation, Reference, Pages} <= {type(record) for record in copies}
    for record in copies:
        name = dataclasses.fields(record)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, name, None)


@pytest.mark.parametrize("record", [
    Depositor("Press", "deposits@example.org", "Press Ltd"),
    Pages(elocation_id="e123"),
    Reference("Smith J. A case.", doi="10.1000/x", url="https://example.org/"),
    Author("K. Ng", "Ng", "K.", orcid="0000-0002-1825-0097", affiliations=(Affiliation("a", "Clinic", country="NZ"),), corresponding=True),
])  # fmt: skip
def test_each_record_class_keeps_every_field_in_its_place(record):
    """Fields are restored by position: a value must not land in its neighbour's slot."""
    copied = pickle.loads(pickle.dumps(record))
    assert [getattr(copied, field.name) for field in dataclasses.fields(record)] == [
        getattr(record, field.name) for field in dataclasses.fields(record)
    ]


def _seed_article() -> Article:
    return next(article for article in load_content(SAMPLE_CONTENT).articles if article.references and len(article.authors) > 1)


def _packed_slots(article: Article) -> list[str]:
    """The packed fields not unpickled yet: their slots are empty, and the blob waits in the
    slot of the last packed field (read past the descriptor that stands for it)."""
    if not isinstance(_blob_slot(article), PackedFields):
        return []
    return [name for name in ("affiliations", "authors", "references") if not _slot_is_set(article, name)]


def _blob_slot(article: Article):
    return Article.__dict__["pdf"].slot.__get__(article)


def _slot_is_set(article: Article, name: str) -> bool:
    try:
        Article.__dict__[name].__get__(article)  # the slot itself: the class keeps it as it is
    except AttributeError:
        return False
    return True


def test_an_articles_fields_but_its_names_and_dates_are_unpickled_only_when_read():
    article = _seed_article()
    copied = pickle.loads(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))
    assert _packed_slots(copied) == ["affiliations", "authors", "references"]
    assert (copied.source, copied.doi, copied.slug, copied.year, copied.published) == (
        article.source, article.doi, article.slug, article.year, article.published
    )  # not packed
    assert _packed_slots(copied) == ["affiliations", "authors", "references"]
    assert copied.title == article.title  # one read unpacks every packed field
    assert _packed_slots(copied) == []
    assert copied.authors == article.authors and copied.affiliations == article.affiliations
    # unpickled together, an author's affiliations are the article's own objects, as loaded
    assert copied.authors[0].affiliations[0] is copied.affiliations[copied.affiliation_numbers[copied.authors[0].affiliations[0].key] - 1]


def test_an_article_never_read_is_pickled_again_with_its_blob_as_it_was():
    """Saving a cache shard must not unpickle the articles of the shard the build did not use."""
    once = pickle.loads(pickle.dumps(_seed_article(), protocol=pickle.HIGHEST_PROTOCOL))
    twice = pickle.loads(pickle.dumps(once, protocol=pickle.HIGHEST_PROTOCOL))
    assert _packed_slots(once) == ["affiliations", "authors", "references"]
    assert _blob_slot(twice).blob == _blob_slot(once).blob
    assert twice == _seed_article()


def test_the_shape_of_every_record_class_is_in_the_caches_stamp():
    """A record class whose fields are not in `record_shapes` could change shape without the
    cache noticing."""
    shapes = {name: (fields, packed) for _, name, fields, packed in record_shapes()}
    classes = {type(record) for record in _records(load_content(SAMPLE_CONTENT)) if hasattr(type(record), "pickled_shape")}
    assert {Journal, Article, Author, Affiliation, Reference, Pages} <= classes
    for cls in classes | {Site, Person, ArticleSummary, ArticleFragments}:
        assert shapes[cls.__qualname__] == (cls.__slots__, cls.pickled_shape[2])
    assert shapes["Article"][1] == ("title", "type", "language", "volume", "issue", "pages", "keywords", "license", "affiliations", "authors", "references", "abstract", "pdf")


def test_every_module_with_record_classes_is_imported_for_the_stamp():
    """`record_shapes` imports RECORD_MODULES so that the classes they define have registered
    themselves whatever the caller imported first: a module missing from the list would leave
    its classes out of the stamp in a process that had not imported it yet."""
    package = Path(caseshelf.__file__).parent
    decorating = {
        ".".join(("caseshelf", *path.relative_to(package).with_suffix("").parts))
        for path in package.rglob("*.py")
        if "\n@pickled_by_fields" in path.read_text(encoding="utf-8")
    }
    assert decorating - {"caseshelf.model"} == set(RECORD_MODULES)
    assert {module for module, *_ in record_shapes()} == decorating


def test_any_packed_field_unpacks_them_all_and_other_names_stay_missing():
    article = _seed_article()
    for name in Article.pickled_shape[2]:  # the blob's own slot (the last) and the empty ones
        copied = pickle.loads(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))
        assert getattr(copied, name) == getattr(article, name)
        assert _packed_slots(copied) == [] and copied == article
    copied = pickle.loads(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))
    with pytest.raises(AttributeError, match="no attribute 'titel'"):
        copied.titel  # noqa: B018 - a misspelt field is an error, not a trigger
    assert _packed_slots(copied) == ["affiliations", "authors", "references"]
