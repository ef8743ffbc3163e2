"""The section labels of structured abstracts, which PubMed writes in capitals ("CASE
PRESENTATION"), in sentence case ("Case presentation") where that is safe.

Lower-casing a label word by word turns its initialisms into words ("HIV-1 AND AIDS" into
"Hiv-1 and aids"), and nothing in a label says which capitals are an initialism's. So a label is
changed only when every word of it is known: a word of the labels structured abstracts use
(`_LABEL_WORDS`, or `_OTHER_LABEL_WORDS` of the abstract's language), which is lower-cased, or an initialism (`_INITIALISMS`), a Roman numeral or a word
with a digit (COVID-19, T2DM), which is kept. An abstract one of whose labels has any other word
(an initialism not listed, a drug, a word in another language) keeps all its labels as they are,
so that its headings stay alike: capitals are only loud, a mangled initialism is wrong.
"""

from __future__ import annotations

import re

from caseshelf.exports.languages import primary_subtag

#: Words of the section labels of structured abstracts (NLM's categories and the labels journals
#: use for them, case reports' included), in lower case. Left out on purpose: words that are also
#: initialisms in medicine (`all`, `who`, `us`, `care`, `grade`, `pet`).
_LABEL_WORDS = frozenset("""
    a about added adds aetiology affect aim aims already an analyses analysis and approach
    approaches approval are areas article assessment assessments author authors available
    background before benefit benefits by case cases chief clinical collection comment
    commentary comments comparison competing complaint conclusion conclusions conflict conflicts
    consent context cost course covered criteria current data description design designs
    development diagnoses diagnosis diagnostic differential directions discussion educational
    effect effects efficacy eligibility end endpoint endpoints epidemiology ethical ethics
    ethnopharmacological etiology evaluation evidence examination experiment experimental
    experiments expert exposure exposures extraction factor factors family feasibility feature
    features finding findings follow for from funding future genetic goal goals graphical
    highlights histological history home how hypotheses hypothesis imaging impact implication
    implications importance in incidence informed interest interests interpretation intervention
    interventions introduction investigation investigations is its key keywords known laboratory
    language learned learning lesson lessons level limitation limitations literature main
    management material materials measure measurement measurements measures medical message
    messages method methodology methods might molecular motivation new novel number objective
    objectives observation observations of on operative opinion or originality our outcome
    outcomes overview paper participant participants pathogenesis pathological pathology
    pathophysiology patient patients perspective perspectives plain point points policy
    population populations practice presentation presentations prevalence prevention primary
    problem procedure procedures prognosis protocol purpose purposes quality question questions
    radiological rationale recent recommendation recommendations registration registry relevance
    report reports research result results review reviews risk risks safety sample samples scope
    screening search secondary selection series setting settings sign significance signs social
    source sources statement statistical strategies strategy strength strengths studies study
    subject subjects summary surgical symptom symptoms synopsis synthesis take technique
    techniques the their therapeutic therapy these this timeline to topic treatment treatments
    trial trials type unique unlabeled unlabelled up validation value was what why with
""".split())

#: The same for the languages of PubMed's other abstracts (`OtherAbstract Language="spa"`), the
#: labels of the Spanish, Portuguese, French, German, Italian and Russian abstracts journals
#: send: "INTRODUCCIÓN", "RELATO DE CASO", "MATÉRIEL ET MÉTHODES". A language without a list
#: keeps its labels as PubMed gives them.
_OTHER_LABEL_WORDS = {
    "es": """a al antecedentes caso casos clave clínica clínico clínicos comentario conclusión
        conclusiones con contexto de del descripción diseño discusión el en evaluación fundamento
        hallazgos informe introducción justificación la las limitaciones los material materiales
        método métodos objetivo objetivos observación palabras paciente pacientes presentación
        propósito reporte resultados resumen revisión y""",
    "pt": """a apresentação caso casos clínica clínico comentários conclusão conclusões
        considerações contexto da das de descrição desenho discussão do dos e em finais
        introdução justificativa limitações material materiais método métodos o objetivo
        objetivos os paciente pacientes relato resultados resumo revisão""",
    "fr": """but cas clinique cliniques commentaire conclusion conclusions contexte de des
        description discussion du et introduction la le les matériel matériels méthode méthodes
        objectif objectifs observation patients présentation résultats résumé synthèse""",
    "de": """der die das diskussion einleitung ergebnis ergebnisse fall fallbericht
        fallvorstellung fragestellung hintergrund material methode methoden mit patienten
        schlussfolgerung schlussfolgerungen und von ziel ziele zielsetzung zusammenfassung""",
    "it": """caso casi clinica clinico conclusione conclusioni contesto del della descrizione di
        discussione e introduzione materiale materiali metodi metodo obiettivi obiettivo
        presentazione risultati""",
    "ru": """введение выводы заключение и клинический клинического материал материалы метод
        методы наблюдение обсуждение описание результаты случай случая цель""",
}
_LABEL_WORDS_BY_LANGUAGE = {"en": _LABEL_WORDS} | {language: frozenset(words.split()) for language, words in _OTHER_LABEL_WORDS.items()}

#: Initialisms that labels use and that are no English word, in capitals.
_INITIALISMS = frozenset("""
    AIDS BMI CMV CNS COPD COVID CT DNA EBV ECG EEG EKG EU GI HBV HCV HIV HPV HSV ICU MDR MERS MRI
    NICU PICU RCT RNA RSV SARS TB UK USA XDR
""".split())

_ROMAN_NUMERAL = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
#: A word: letters and digits, joined by hyphens, slashes or an apostrophe (AUTHORS', FOLLOW-UP).
_WORD = re.compile(r"[^\W_]+(?:['’/-][^\W_]+)*['’]?")
_JOINS = re.compile(r"([/-])")
_POSSESSIVE = re.compile(r"['’]S?$")


#: What PubMed writes as the label of a section it found without one, in a structured
#: abstract (NlmCategory="UNASSIGNED"): no heading of the article's.
_NO_LABEL = frozenset({"unlabelled", "unlabeled"})


def sentence_case_labels(labels: list[str], language: str | None) -> list[str]:
    """The labels of one abstract in `language` without a final colon (they become headings;
    "" for none); those in capitals in sentence case when every word of every one of them is a
    known word of that language, else as they are."""
    labels = [label.removesuffix(":").rstrip() for label in labels]
    labels = ["" if label.casefold() in _NO_LABEL else label for label in labels]
    words = _LABEL_WORDS_BY_LANGUAGE.get(primary_subtag(language), frozenset()) if language else frozenset()
    cased = [_sentence_case(label, words) if label.isupper() else label for label in labels]
    return labels if None in cased else cased


def _sentence_case(label: str, label_words: frozenset[str]) -> str | None:
    """The label in sentence case, or None when it has a word that may be an initialism."""
    words = [(match.span(), _word_case(match.group(0), label_words)) for match in _WORD.finditer(label)]
    if any(word is None for _, word in words):
        return None
    cased = label
    for (start, end), word in words:
        cased = cased[:start] + word + cased[end:]  # same length: only the letter case changes
    return cased[:1].upper() + cased[1:]


def _word_case(word: str, label_words: frozenset[str]) -> str | None:
    if any(character.isdigit() for character in word):
        return word
    parts = [part if part in ("/", "-") else _part_case(part, label_words) for part in _JOINS.split(word)]
    return None if None in parts else "".join(parts)


def _part_case(part: str, label_words: frozenset[str]) -> str | None:
    core = _POSSESSIVE.sub("", part)  # AUTHORS' and AUTHOR'S are words of the list
    if core in _INITIALISMS or _ROMAN_NUMERAL.fullmatch(core):
        return part
    return part.lower() if core.lower() in label_words else None
