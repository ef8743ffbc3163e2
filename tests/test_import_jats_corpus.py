"""Every article of the real JATS corpus (../shared/corpus/jats) imports, and what the records
say matches the XML: expected values are read here with plain XPath, not with importer code."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from lxml import etree
from test_import_support import JOURNAL_YAML, records_by_doi, run_import

from caseshelf.cli import main
from caseshelf.importers.imported import ImportedArticle
from caseshelf.importers.jats import read_jats
from caseshelf.importers.records import record_fields
from caseshelf.markdown import render_block, render_inline

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "jats"
pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the real JATS corpus is not beside the checkout (looked in {CORPUS})"
)
CORPUS_FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in (".xml", ".nxml")) if CORPUS.is_dir() else []
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def L(name: str) -> str:
    """XPath step for an element by local name (the corpus mixes namespaced and plain JATS)."""
    return f"*[local-name()='{name}']"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict:
    content = tmp_path_factory.mktemp("corpus") / "content"
    content.mkdir()
    (content / "journal.yaml").write_text(JOURNAL_YAML, encoding="utf-8")
    exit_code = run_import("jats", CORPUS, "--source", content)
    return {"content": content, "exit_code": exit_code, "records": records_by_doi(content / "articles")}


def corpus_articles(path: Path) -> list[etree._Element]:
    root = etree.parse(str(path), PARSER).getroot()
    if etree.QName(root).localname == "article":
        return [root]
    return root.xpath(f"//{L('article')}[not(ancestor::{L('article')})]")


def test_the_whole_corpus_imports_except_articles_without_a_doi(imported: dict, capsys: pytest.CaptureFixture) -> None:
    expected_dois = {}
    without_doi = []
    for path in CORPUS_FILES:
        for article in corpus_articles(path):
            doi = article.xpath(f"string({L('front')}/{L('article-meta')}/{L('article-id')}[@pub-id-type='doi'])").strip()
            if doi:
                expected_dois[doi.lower()] = path.name
            else:
                without_doi.append(path.name)
    assert set(imported["records"]) == set(expected_dois)
    # A record needs a DOI (issue 2): the two historic PMC scans without one are reported, and
    # the run says so through its exit code.
    assert sorted(without_doi) == ["pubmed-client__PMC10000000.xml", "pubmed-client__PMC5000000.xml"]
    assert imported["exit_code"] == 1


def test_imported_corpus_passes_check_and_builds(imported: dict, tmp_path: Path) -> None:
    content = imported["content"]
    assert main(["check", "--source", str(content)]) == 0
    output = tmp_path / "_site"
    assert main(["build", "--source", str(content), "--output", str(output), "--no-search", "--quiet"]) == 0
    case_report = output / "articles" / "s12920-020-00789-8" / "index.html"
    assert case_report.is_file()
    assert "Multiple paragangliomas" in case_report.read_text(encoding="utf-8")


def test_front_matter_reads_back_exactly_as_written(imported: dict) -> None:
    # The record writer quotes by itself (no PyYAML emitter): every value of every real
    # article must come back from a plain YAML load as the value that was written.
    for path in CORPUS_FILES:
        for article in read_jats(path.read_bytes()):
            if isinstance(article, ImportedArticle) and article.doi:
                _, fields, body = imported["records"][article.doi.lower()]
                assert fields == record_fields(article), path.name
                assert body == (article.abstract + "\n" if article.abstract else ""), path.name


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_records_match_the_xml(path: Path, imported: dict) -> None:
    mismatches: list[str] = []
    for number, article in enumerate(corpus_articles(path), start=1):
        meta = article.xpath(f"{L('front')}/{L('article-meta')}")[0]
        doi = meta.xpath(f"string({L('article-id')}[@pub-id-type='doi'])").strip()
        if not doi:
            continue
        _, record, body = imported["records"][doi.lower()]
        for field, expected, actual in spot_checks(article, meta, record, body):
            if expected != actual:
                mismatches.append(f"article {number} {field}: expected {expected!r}, record has {actual!r}")
    assert not mismatches, "\n".join(mismatches)


def spot_checks(article: etree._Element, meta: etree._Element, record: dict, body: str):
    """(field, value from the XML, value from the record) for a dozen fields."""
    yield "doi", meta.xpath(f"string({L('article-id')}[@pub-id-type='doi'])").strip(), record["doi"]
    yield "title", comparable(expected_title(meta)), comparable(record["title"])
    authors = author_contribs(meta)
    yield "author count", len(authors), len(record.get("authors", []))
    first_family = authors[0].xpath(f"string(.//{L('surname')})").strip() if authors else ""
    if first_family:
        yield "first author family name", squeeze(first_family), record["authors"][0].get("family_name")
    yield "affiliation count", expected_affiliation_count(meta, authors), len(record.get("affiliations", {}))
    yield "volume", first_text(meta, "volume"), record.get("volume")
    yield "issue", first_text(meta, "issue"), record.get("issue")
    fpage, elocation = first_text(meta, "fpage"), first_text(meta, "elocation-id")
    pages = str(record.get("pages", ""))
    yield "fpage or elocation", fpage or elocation, pages.split("-")[0] if fpage else pages
    yield "year", expected_year(meta), record.get("year")
    yield "keyword count", expected_keyword_count(article, meta), len(record.get("keywords", []))
    refs = article.xpath(f".//{L('ref-list')}//{L('ref')}[not(ancestor::{L('sub-article')})]")
    yield "reference count", len(refs), len(record.get("references", []))
    for index, ref in enumerate(refs):
        ref_doi = ref.xpath(f"string(.//{L('pub-id')}[@pub-id-type='doi'])").strip()
        if ref_doi:
            yield f"reference {index + 1} DOI", ref_doi.rstrip("."), record["references"][index].get("doi")
            break
    yield "abstract section titles", expected_section_titles(meta), [comparable(t) for t in re.findall(r"^#{3,6} (.+)$", body, re.MULTILINE)]


def author_contribs(meta: etree._Element) -> list[etree._Element]:
    return meta.xpath(
        f".//{L('contrib')}[not(ancestor::{L('collab')})]"
        "[@contrib-type='author' or (not(@contrib-type) and (not(../@content-type) or ../@content-type='author'))]"
    )


def expected_title(meta: etree._Element) -> str:
    parts = []
    for name in ("article-title", "subtitle"):
        texts = meta.xpath(f"{L('title-group')}/{L(name)}//text()[not(ancestor::{L('xref')}) and not(ancestor::{L('fn')})]")
        parts.append("".join(texts))
    return " ".join(parts)


def expected_affiliation_count(meta: etree._Element, authors: list[etree._Element]) -> int:
    by_id = {aff.get("id"): aff for aff in meta.xpath(f".//{L('aff')}[@id]")}
    linked = []
    for contrib in authors:
        for rids in contrib.xpath(f".//{L('xref')}[@ref-type='aff']/@rid"):
            linked += [by_id[rid] for rid in rids.split() if rid in by_id]
        linked += contrib.xpath(f".//{L('aff')}")
    if not linked and authors:
        referenced = set(" ".join(meta.xpath(f".//{L('xref')}/@rid")).split())
        linked = [aff for aff in meta.xpath(f".//{L('aff')}[not(ancestor::{L('contrib')})]") if aff.get("id") not in referenced]
    texts = {comparable("".join(aff.xpath(f".//text()[not(ancestor::{L('label')}) and not(ancestor::{L('sup')}) and not(ancestor::{L('email')}) and not(ancestor::{L('institution-id')})]")))
             for aff in linked}
    return len(texts)


def expected_year(meta: etree._Element) -> int | None:
    def years(condition: str) -> list[int]:
        return [int(y) for y in meta.xpath(f"{L('pub-date')}[{condition}]/{L('year')}/text()")]
    issue_years = years("@pub-type='collection' or @pub-type='ppub' or @pub-type='epub-ppub' or @date-type='collection'"
                        " or (@date-type='pub' and @publication-format='print')")
    online_years = years("@pub-type='epub' or @date-type='pub' or (not(@pub-type) and not(@date-type))")
    return (issue_years or online_years or [None])[0]


def expected_keyword_count(article: etree._Element, meta: etree._Element) -> int:
    language = (article.get("{http://www.w3.org/XML/1998/namespace}lang") or "").lower()
    keywords = set()
    for group in meta.xpath(L("kwd-group")):
        group_language = (group.get("{http://www.w3.org/XML/1998/namespace}lang") or "").lower()
        if group_language and language and group_language != language:
            continue
        keywords |= {squeeze("".join(k.itertext())) for k in group.xpath(L("kwd"))}
    if not keywords - {""}:
        # Some renditions print them as the abstract's last section: "Keywords: a, b, c".
        printed = meta.xpath(f"string({L('abstract')}[not(@abstract-type)]/{L('sec')}[@sec-type='kwd-group'])")
        keywords = set(re.split(r"[,;]", printed.split(":", 1)[-1])) if printed.strip() else set()
        keywords = {squeeze(k).strip(".") for k in keywords}
    return len(keywords - {""})


def expected_section_titles(meta: etree._Element) -> list[str]:
    abstracts = meta.xpath(f"{L('abstract')}[not(@abstract-type)]") or meta.xpath(f"{L('abstract')}[@abstract-type='primary']")
    if not abstracts:
        return []
    titles = abstracts[0].xpath(f".//{L('sec')}/{L('title')}")
    return [comparable("".join(t.itertext())) for t in titles if squeeze("".join(t.itertext()))]


def first_text(meta: etree._Element, name: str) -> str | None:
    found = meta.xpath(L(name))
    return squeeze("".join(found[0].itertext())) or None if found else None


def squeeze(text: str) -> str:
    return " ".join(text.split())


def comparable(text: str) -> str:
    """Text without formatting: Markdown marks and escapes gone, H₂O and H2O the same."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def test_sub_and_superscripts_in_references_stay_attached_to_their_word(imported: dict) -> None:
    # "H<sub>3</sub>O<sup>+</sup>" is one word: a space put before the script ("H 3O+") changes it.
    detached = []
    for path, citation, record_text in corpus_citations(imported["records"]):
        for script in citation.xpath(f".//{L('sub')} | .//{L('sup')}"):
            before = text_just_before(script)
            written = squeeze("".join(script.itertext()))
            if before[-1:].isalnum() and written and f"{before[-1]}{written}" not in unicodedata.normalize("NFKC", record_text):
                detached.append(f"{path.name}: {before[-1]}<{etree.QName(script).localname}>{written} in {record_text!r}")
    assert not detached, "\n".join(detached)


def record_of(article: etree._Element, records: dict) -> dict | None:
    """The front matter imported from the article, None for an article without a DOI."""
    doi = article.xpath(f"string({L('front')}/{L('article-meta')}/{L('article-id')}[@pub-id-type='doi'])").strip()
    return records[doi.lower()][1] if doi else None


def written_references(article: etree._Element, records: dict):
    """(ref, the text its record gives it) for each reference of the article."""
    record = record_of(article, records)
    refs = article.xpath(f".//{L('ref-list')}//{L('ref')}[not(ancestor::{L('sub-article')})]")
    return zip(refs, [written["text"] for written in record.get("references", [])]) if record else []


def corpus_citations(records: dict):
    """(corpus file, mixed citation, the text its record gives it) for every written-out
    reference of the corpus."""
    for path in CORPUS_FILES:
        for article in corpus_articles(path):
            yield from ((path, citation, text) for citation, text in cited_texts(article, records))


def cited_texts(article: etree._Element, records: dict):
    """(mixed citation, the text its record gives it) for each written-out reference."""
    for ref, text in written_references(article, records):
        yield from ((citation, text) for citation in ref.xpath(L("mixed-citation")))


def text_just_before(element: etree._Element) -> str:
    previous = element.getprevious()
    return (previous.tail or "") if previous is not None else (element.getparent().text or "")


# Parts of an element citation whose text is elsewhere in the record (identifiers, links) or
# is markup only; "In:" and "editor" are the glue PLOS tags as comments around an editor group.
NOT_CITATION_TEXT = {"pub-id", "object-id", "label", "x", "ext-link", "uri", "month", "day", "season", "etal"}
GLUE_COMMENTS = {"in:", "editor", "editors", "eds", "eds."}


def test_every_part_of_an_element_citation_is_in_its_text(imported: dict) -> None:
    # A composed reference lost its editors, edition, conference and comments ("Available: ...
    # Accessed 22 September 2006"; a book title PLOS puts in a comment).
    lost = []
    for path in CORPUS_FILES:
        for article in corpus_articles(path):
            for citation, record_text in composed_texts(article, imported["records"]):
                written = comparable(record_text)
                for part in citation.iterchildren(etree.Element):
                    text = squeeze("".join(part.itertext()))
                    if etree.QName(part).localname not in NOT_CITATION_TEXT and text.lower() not in GLUE_COMMENTS \
                            and not is_identifier_only(text) and comparable(text) not in written:
                        lost.append(f"{path.name}: <{etree.QName(part).localname}>{text}</> not in {record_text!r}")
    assert not lost, "\n".join(lost)


def composed_texts(article: etree._Element, records: dict):
    """(element citation, the text its record gives it) for each reference composed from parts."""
    for ref, text in written_references(article, records):
        citations = ref.xpath(f"{L('element-citation')} | {L('citation-alternatives')}/{L('element-citation')}")
        yield from ((citation, text) for citation in citations[:1])


def is_identifier_only(text: str) -> bool:
    """A comment that only gives the DOI or PMID (the record has them as `doi:` and `pmid:`)."""
    return bool(re.fullmatch(r"(?:doi|pmid|pubmed)\s*:?\s*\S+", text, re.IGNORECASE))


def test_no_title_or_abstract_shows_asterisks_meant_as_emphasis(imported: dict) -> None:
    # Italic beside punctuation or inside a thin space ("genera*,* our", "(*P *= 0.02)") was
    # printed with its asterisks; the only asterisks a reader may see are the source's own (`\*`).
    shown = []
    for path, record, body in imported["records"].values():
        for markdown, rendered in ((record["title"], render_inline(record["title"])), (body, render_block(body))):
            text = re.sub(r"<[^>]+>", "", str(rendered))
            if text.count("*") != markdown.count("\\*"):
                shown += [f"{path.name}: {match}" for match in re.findall(r".{0,30}\*.{0,30}", text)]
    assert not shown, "\n".join(shown)


def test_names_a_mixed_citation_lists_without_punctuation_are_separated(imported: dict) -> None:
    # F1000, Frontiers and J Phys Ther Sci tag authors one name per line with nothing between:
    # "Sambi M Bagheri L Szewczuk MR." reads as one person's name.
    run_together = []
    for path, citation, record_text in corpus_citations(imported["records"]):
        names = citation.xpath(f".//{L('name')}[{L('surname')}]")
        for first, second in zip(names, names[1:]):
            if first.getnext() is second and not (first.tail or "").strip():
                surname = squeeze("".join(second.xpath(f"string({L('surname')})")))
                if not re.search(rf",\s+(?:\w+\s+)?{re.escape(surname)}\b", record_text):
                    run_together.append(f"{path.name}: {surname} in {record_text!r}")
    assert not run_together, "\n".join(run_together[:20])


def test_a_string_name_in_a_mixed_citation_keeps_its_printed_order(imported: dict) -> None:
    # <string-name> is the name as printed ("M. Wang" in Wiley's APA lists): it was turned
    # into "Wang M.", which the article does not print.
    reordered = []
    for path, citation, record_text in corpus_citations(imported["records"]):
        for name in citation.xpath(f".//{L('string-name')}[{L('surname')}]"):
            printed = spaced_as_printed(" ".join(name.itertext()))
            if printed not in spaced_as_printed(record_text):
                reordered.append(f"{path.name}: {printed!r} not in {record_text!r}")
    assert not reordered, "\n".join(reordered[:20])


def spaced_as_printed(text: str) -> str:
    """One space between words, none before punctuation."""
    return re.sub(r" ([,.;:])", r"\1", squeeze(text))


def test_e_mails_of_a_shared_correspondence_note_go_to_the_authors_it_names(imported: dict) -> None:
    # "Correspondence: Jinhwan Kim, jjnkim@...; Kelsey P. Kubelick, kpkubelick@..." or PLOS's
    # "E-mail: a@b (CAM); c@d (MAP)": with more than one address in the note, none was kept.
    missing = []
    for path in CORPUS_FILES:
        for article in corpus_articles(path):
            record = record_of(article, imported["records"])
            if record is None:
                continue
            emails_by_author = {author["name"]: author.get("email") for author in record["authors"]}
            for note in article.xpath(f".//{L('author-notes')}/{L('corresp')}[count(.//{L('email')}) > 1]"):
                for name, email in named_addresses(note, record["authors"]):
                    if emails_by_author[name] != email:
                        missing.append(f"{path.name}: {name} should have {email}, has {emails_by_author[name]}")
    assert not missing, "\n".join(missing)


def named_addresses(note: etree._Element, authors: list[dict]):
    """(author, e-mail) where the note writes the author's full name right before the address."""
    text = "".join(note.itertext())
    for email in note.xpath(f".//{L('email')}/text()"):
        before = text[:text.index(email)].rsplit("@", 1)[-1]
        named = [a["name"] for a in authors if "family_name" in a and a["name"] in before]
        if len(named) == 1:
            yield named[0], email.strip()


@pytest.mark.parametrize(("language", "abstract_xpath"), [
    ("en", f"{L('abstract')}[not(@abstract-type)]"),
    ("fr", f"{L('trans-abstract')}[@xml:lang='fr']"),
])
def test_an_english_article_with_a_french_resume_gives_each_site_its_language(
        tmp_path: Path, capsys: pytest.CaptureFixture, language: str, abstract_xpath: str) -> None:
    """The Canadian Review of Sociology prints a French résumé beside the English abstract: a
    French site's record takes it, and says the title and keywords are English only."""
    path = CORPUS / "pyEuropePMC__PMC13238454.xml"
    content = tmp_path / "content"
    content.mkdir()
    (content / "journal.yaml").write_text(JOURNAL_YAML.replace("language: en", f"language: {language}"), encoding="utf-8")
    assert run_import("jats", path, "--source", content) == 0
    ((_, record, body),) = records_by_doi(content / "articles").values()
    (meta,) = corpus_articles(path)[0].xpath(f"{L('front')}/{L('article-meta')}")
    (abstract,) = meta.xpath(abstract_xpath)
    first_paragraph = squeeze("".join(abstract.xpath(f"{L('p')}[1]//text()")))
    assert squeeze(body).startswith(first_paragraph[:80]) and record["language"] == "en"
    fell_back = "title and keywords: the source has none in the site's language (fr), imported in en" in capsys.readouterr().out
    assert fell_back == (language == "fr")
