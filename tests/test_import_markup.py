"""XML markup -> Markdown, and the vocabularies the importers translate (types, licenses, ids)."""

from __future__ import annotations

import re

import pytest

from caseshelf.importers.markup import abstract_markdown, inline_markdown, plain_text
from caseshelf.importers.safexml import parse_xml
from caseshelf.importers.vocab import (
    _JATS_ARTICLE_TYPES,
    _PUBMED_TYPES,
    ARTICLE_TYPES,
    clean_doi,
    clean_orcid,
    language_tag,
    spdx_from_license_url,
)
from caseshelf.markdown import plain_text as markdown_plain_text
from caseshelf.markdown import render_block, render_inline


def title(xml: str) -> str:
    return inline_markdown(parse_xml(f"<article-title>{xml}</article-title>".encode()), silent=("xref",))


@pytest.mark.parametrize(
    ("xml", "markdown"),
    [
        ("Infant <italic>KMT2A</italic> leukemia", "Infant *KMT2A* leukemia"),
        ("<bold>Bold</bold> and <italic> spaced </italic>end", "**Bold** and *spaced* end"),
        ("H<sub>2</sub>O and Ca<sup>2+</sup> and 10<sup>−3</sup>", "H₂O and Ca²⁺ and 10⁻³"),
        ("IL-1<sub>beta</sub> and 2<sup>nd</sup>", "IL-1beta and 2nd"),  # no Unicode for every letter: plain
        ("A title<xref ref-type='fn' rid='f1'>*</xref>", "A title"),
        ("Line<break/>break and <sc>small caps</sc>", "Line break and small caps"),
        ("Stars * and `ticks` and a [link](javascript:x)", "Stars \\* and \\`ticks\\` and a [link]\\(javascript:x)"),
        ("snake_case stays, _emphasis_ does not", "snake_case stays, \\_emphasis\\_ does not"),
        ("Müller–Łukasz ✓ Мачнева", "Müller–Łukasz ✓ Мачнева"),
        (("<inline-formula><alternatives><tex-math>\\alpha</tex-math><mml:math xmlns:mml='http://www.w3.org/1998/Math/MathML'>"
          "<mml:msub><mml:mi>t</mml:mi><mml:mn>2</mml:mn></mml:msub></mml:math></alternatives></inline-formula> half-life"),
         "t₂ half-life"),
    ],
)
def test_titles_keep_formatting_as_markdown(xml: str, markdown: str) -> None:
    assert title(xml) == markdown


def test_title_markdown_renders_as_intended_and_never_as_html() -> None:
    converted = title("<italic>E. coli</italic> &lt;script&gt;alert(1)&lt;/script&gt; <bold>[1]</bold>")
    html = str(render_inline(converted))
    # Brackets at the edge of the bold go outside its marks (see the test on punctuation below).
    assert "<em>E. coli</em>" in html and "[<strong>1</strong>]" in html and "<script>" not in html
    assert markdown_plain_text(converted) == "E. coli <script>alert(1)</script> [1]"


def test_structured_abstract_becomes_headings_paragraphs_and_lists() -> None:
    abstract = parse_xml(
        b"<abstract><title>Abstract</title>"
        b"<sec><title>Background</title><p>One.</p></sec>"
        b"<sec><title>Case <italic>presentation</italic></title><p>1. Starts like a list.</p>"
        b"<list list-type='order'><list-item><p>first</p></list-item><list-item><p>second</p></list-item></list>"
        b"<sec><title>Nested</title><p># not a heading</p></sec></sec>"
        b"<fig><caption><p>A figure caption</p></caption></fig></abstract>"
    )
    markdown = abstract_markdown(abstract)
    assert markdown == (
        "### Background\n\nOne.\n\n### Case *presentation*\n\n1\\. Starts like a list.\n\n"
        "1. first\n2. second\n\n#### Nested\n\n\\# not a heading"
    )
    html = str(render_block(markdown))
    assert html.count("<h3>") == 3 and "<p>1. Starts like a list.</p>" in html and "<p># not a heading</p>" in html


def test_plain_text_unresolved_entities_and_whitespace() -> None:
    element = parse_xml(b'<!DOCTYPE p PUBLIC "-//X//DTD//EN" "x.dtd"><p>a&nbsp;b   c\n  d &amp; e</p>')
    assert plain_text(element) == "a\u00a0b c d & e"


def test_every_type_mapping_targets_the_record_vocabulary() -> None:
    targets = set(_JATS_ARTICLE_TYPES.values()) | {record_type for _, record_type in _PUBMED_TYPES} | {"other"}
    assert targets <= set(ARTICLE_TYPES)


@pytest.mark.parametrize(
    ("url", "spdx"),
    [
        ("http://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by-nc-nd/4.0/legalcode", "CC-BY-NC-ND-4.0"),
        ("http://creativecommons.org/licenses/by/2.0", "CC-BY-2.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("https://creativecommons.org/licenses/by/3.0/us/", None),  # a jurisdiction port
        ("https://creativecommons.org/publicdomain/mark/1.0/", None),
        ("https://www.elsevier.com/open-access/userlicense/1.0/", None),
    ],
)
def test_license_urls_to_spdx(url: str, spdx: str | None) -> None:
    assert spdx_from_license_url(url) == spdx


def test_identifiers_are_cleaned_or_dropped() -> None:
    assert clean_doi("https://doi.org/10.1016/S0140-6736(96)91689-X.") == "10.1016/S0140-6736(96)91689-X"
    assert clean_doi("doi: 10.1080/10428194.2018.1508667)") == "10.1080/10428194.2018.1508667"
    assert clean_doi("https://dx.doi.org/10.1002%2F%28SICI%291097") == "10.1002/(SICI)1097"
    assert clean_doi("not a doi") is None
    assert clean_orcid("https://orcid.org/0000-0002-1825-0097") == "0000-0002-1825-0097"
    assert clean_orcid("000000021694233X") == "0000-0002-1694-233X"
    assert clean_orcid("0000-0002-1825-0098") is None  # wrong check digit
    assert (language_tag("EN"), language_tag("rus"), language_tag("pt_BR"), language_tag("??")) == ("en", "ru", "pt-BR", None)


@pytest.mark.parametrize(
    ("xml", "emphasised"),
    [
        ("nine genera<italic>,</italic> our approach", []),  # an italic comma is no emphasis to see
        ("samples (<italic>n\u2009</italic>=\u200933)", ["n"]),  # a thin space inside the italics
        ("promoter (<italic>p</italic><sub><italic>R</italic></sub><italic>'</italic>) activity", ["p"]),
        ("<bold>Results:</bold>The rate", ["Results"]),
        ("gene<italic>(TP53)</italic>x and <italic>et al.</italic>2019", ["TP53", "et al"]),
    ],
)
def test_italic_and_bold_beside_punctuation_render_as_emphasis_not_as_asterisks(xml: str, emphasised: list) -> None:
    # CommonMark takes `*` for emphasis only where it flanks a word: "genera*,* our" or
    # "(*n *=" show their asterisks to readers.
    html = str(render_inline(title(xml)))
    assert "*" not in html
    assert re.findall(r"<(?:em|strong)>(.*?)</(?:em|strong)>", html) == emphasised


@pytest.mark.parametrize(
    ("aff", "parts"),
    [
        # Italics inside running text are no boundary between two parts of the address.
        ("<aff><label>1</label>Department of <italic>Drosophila</italic> Genetics, Univ X, Oslo, Norway</aff>",
         ("Department of Drosophila Genetics, Univ X, Oslo, Norway", "", "")),
        ("<aff><institution>Lab of <sc>Ca</sc><sup>2+</sup> Signalling, Univ Y</institution>, <addr-line>Main St <bold>5</bold></addr-line>,"
         " <country>Spain</country></aff>",
         ("Lab of Ca²⁺ Signalling, Univ Y", "Main St 5", "Spain")),
        ("<aff><sup>a</sup>Ca<sup>2+</sup> Signalling Lab, <institution>Univ W</institution></aff>",
         ("Ca²⁺ Signalling Lab, Univ W", "", "")),  # a leading superscript is the label, a later one is text
        ("<aff><sup>1</sup>Institute of Radiation Medicine, Beijing 100850 and <sup>2</sup>Anhui Medical University</aff>",
         ("Institute of Radiation Medicine, Beijing 100850 and Anhui Medical University", "", "")),
        # Parts tagged back to back with nothing between them are still separated.
        ("<aff><institution>Univ Z</institution><addr-line>Town</addr-line><country>Chile</country></aff>", ("Univ Z", "Town", "Chile")),
    ],
)
def test_affiliation_parts_are_split_at_parts_not_at_inline_formatting(aff: str, parts: tuple) -> None:
    from caseshelf.importers.people import jats_affiliation_parts
    assert jats_affiliation_parts(parse_xml(aff.encode())) == parts


def test_a_list_inside_a_paragraph_stays_a_list() -> None:
    # JATS allows <list> inside <p>; its items ran into one word ("Findings:onetwoDone.").
    abstract = parse_xml(
        b"<abstract><p>Findings:<list list-type='bullet'><list-item><p>one</p></list-item>"
        b"<list-item><p>two</p></list-item></list>Done.</p></abstract>"
    )
    assert abstract_markdown(abstract) == "Findings:\n\n- one\n- two\n\nDone."


def test_list_items_are_text_whatever_they_start_with() -> None:
    # "> 5 years" in a list item became a quotation of "5 years"; "# of" a heading.
    abstract = parse_xml(
        b"<abstract><list><list-item><p># of patients: 5</p></list-item><list-item><p>&gt; 5 years</p></list-item>"
        b"<list-item><p>2019. was a year</p></list-item><list-item><p>- dash</p></list-item></list></abstract>"
    )
    html = str(render_block(abstract_markdown(abstract)))
    assert re.findall(r"<li>(.*?)</li>", html) == ["# of patients: 5", "&gt; 5 years", "2019. was a year", "- dash"]


MATHML = "xmlns:mml='http://www.w3.org/1998/Math/MathML'"


@pytest.mark.parametrize(
    ("math", "text"),
    [
        # A root's sign was dropped: "√x" became "x".
        ("<mml:msqrt><mml:mi>x</mml:mi></mml:msqrt>", "√x"),
        ("<mml:msqrt><mml:mi>a</mml:mi><mml:mo>+</mml:mo><mml:mi>b</mml:mi></mml:msqrt>", "√(a+b)"),
        ("<mml:mroot><mml:mi>x</mml:mi><mml:mn>3</mml:mn></mml:mroot>", "∛x"),
        ("<mml:msubsup><mml:mi>K</mml:mi><mml:mn>2</mml:mn><mml:mo>+</mml:mo></mml:msubsup>", "K₂⁺"),
        ("<mml:mover><mml:mi>α</mml:mi><mml:mo>¯</mml:mo></mml:mover>", "α\u0304"),  # ᾱ, the mean of α
        # <mfenced> draws its brackets and commas itself: f(x, y) read "fxy".
        ("<mml:mi>f</mml:mi><mml:mfenced><mml:mi>x</mml:mi><mml:mi>y</mml:mi></mml:mfenced>", "f(x,y)"),
        ("<mml:mfenced open='[' close=')'><mml:mn>0</mml:mn><mml:mn>1</mml:mn></mml:mfenced>", "[0,1)"),
    ],
)
def test_mathml_keeps_what_its_layout_means(math: str, text: str) -> None:
    assert title(f"<inline-formula><mml:math {MATHML}>{math}</mml:math></inline-formula>") == text
