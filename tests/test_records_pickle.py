"""Records travel between processes and into the build cache pickled; they must come back equal,
of the same classes and as frozen as they were made."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from caseshelf.loading import load_content
from caseshelf.model import Affiliation, Article, Author, Depositor, Journal, Pages, Reference
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
