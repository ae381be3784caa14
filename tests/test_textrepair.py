"""Line repair of the web-page export, and the offset map back to the original text."""

from __future__ import annotations

import re

import pytest

from assistant.documents.textrepair import (
    Mapped,
    logical_lines,
    looks_like_heading,
    physical_lines,
    repair,
)

NBSP = "\u00a0"


def _identity(text: str) -> Mapped:
    return Mapped(text, tuple(range(len(text))))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_offsets(src: str, m: Mapped) -> None:
    """Every repaired character comes from ``src[offsets[i]]``, separators aside.

    An inserted separator (a joining space, a line break) maps to the character just
    before it, so it repeats the previous offset; it must be whitespace.
    """
    assert len(m.text) == len(m.offsets)
    for i, (ch, off) in enumerate(zip(m.text, m.offsets, strict=True)):
        if i and off == m.offsets[i - 1]:
            assert ch.isspace(), (i, ch)
            continue
        if i:
            assert off > m.offsets[i - 1], (i, ch)
        orig = src[off]
        if ch == " ":
            assert orig.isspace(), (i, orig)  # a space, NBSP or tab run starts here
        elif ch == "→":
            assert orig == "ð"
        else:
            assert orig == ch, (i, ch, orig)


# --- each repair, on a tiny input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # a sentence broken before a capitalised word
        (
            "- l’appel à projets\nOpen Soon soutenant l’ouverture",
            "- l’appel à projets Open Soon soutenant l’ouverture",
        ),
        # a sentence broken before a lower-case word
        (
            "- Ministre-Président (Membre du Collège COCOF chargé de\nl'Enseignement)",
            "- Ministre-Président (Membre du Collège COCOF chargé de l'Enseignement)",
        ),
        # an opening parenthesis at the end of a line: glued without a space
        (
            "le site internet dédié (\nhttps://go4.brussels/).",
            "le site internet dédié (https://go4.brussels/).",
        ),
        # ordinal superscripts split from their number
        ("la période du 1\ner septembre 2020", "la période du 1er septembre 2020"),
        ("il s’est réuni pour la 1\nère fois", "il s’est réuni pour la 1ère fois"),
        # a lone "." or " :" line belongs to the line above
        (
            "Chantier 1.1.2 Programmer la transition\n.\n\nUn premier groupe",
            "Chantier 1.1.2 Programmer la transition.\n\nUn premier groupe",
        ),
        (
            "Ministre(s) porteur(s)\n :\n- Ministre chargé des Finances",
            "Ministre(s) porteur(s):\n- Ministre chargé des Finances",
        ),
        # a line starting with ":" goes on the line above, with a space
        ("Ministre porteur\n : Secrétaire d’Etat", "Ministre porteur : Secrétaire d’Etat"),
        (
            "Chantier 2.2.7 Endiguer la vacance d’emploi\n : l’évaluation",
            "Chantier 2.2.7 Endiguer la vacance d’emploi : l’évaluation",
        ),
        # a bullet alone on its line, then its item
        (
            f"-\nAxe 2{NBSP}: améliorer l’accès au financement",
            "- Axe 2 : améliorer l’accès au financement",
        ),
        # non-breaking and trailing spaces
        (
            f"Tourisme{NBSP}:{NBSP}relance   \n\nSuite{NBSP} du\ttexte  \t",
            "Tourisme : relance\n\nSuite du texte",
        ),
        # the Wingdings arrow
        ("ð Cf. Objectif 1.3", "→ Cf. Objectif 1.3"),
        ("ð cf. Objectif 2.3 – chantier", "→ cf. Objectif 2.3 – chantier"),
        # an "ð" that is not an arrow (no space after it) is left alone
        ("ðx", "ðx"),
        # several blank lines become one paragraph break; blank lines at both ends go
        ("\n\nPremier.\n\n\n\nSecond.\n\n", "Premier.\n\nSecond."),
        ("a\r\nb", "a b"),
    ],
)
def test_repair(src, expected):
    m = repair(src)
    assert m.text == expected
    _check_offsets(src, m)


@pytest.mark.parametrize(
    "src",
    [
        # a numbered heading keeps its line; the paragraph under it is not glued on
        "Chantier 1.4.3 Tourisme, culture\nDès l’entame du premier confinement",
        "Objectif 1.7: Approfondir la réforme fiscale\nMinistre(s) porteur(s) :",
        "1.8.1. Accélérer la transition\nOffre d’e-coaching de hub.brussels",
        # an infinitive-led title is not glued with the paragraph under it
        "Soutenir la transition numérique des écoles bruxelloises\nEn 2019-2020, le SE a lancé",
        "Prévoir une approche spécifique pour la petite enfance\nEn 2020, le SE a démarré",
        # list items stay one per line
        "- premier point\n- deuxième point",
        "- renforcement de l’information\n– développement de l’offre",
        "o faciliter l’accès\no promouvoir l’esprit",
        "1. Extension du réseau\n2. Renforcement des actions",
        "Ces actions sont :\n- une dizaine de webinaires",
        # a finished sentence, then a new one
        "Le plan a été évalué.\nUn appel à projets va être lancé.",
        # a new heading after a paragraph
        "Le site est opérationnel.\nChantier 1.8.4 Améliorer les relations",
        "du Tourisme et de la\nChantier 1.8.4 Améliorer les relations",
    ],
)
def test_lines_kept_apart(src):
    m = repair(src)
    assert m.text == src
    assert [ln.text for ln in logical_lines(src)] == src.split("\n")
    _check_offsets(src, m)


def test_heading_with_lowercase_next_line_is_not_joined():
    src = "Chantier 2.6.2 Emploi et formation\ncf. Objectif 2.3."
    assert repair(src).text == src


def test_logical_lines_mark_blank_lines_once_and_trim_both_ends():
    src = "\n \nUn\n\n\u00a0\n\nDeux\nsuite\n\n"
    lines = logical_lines(src)
    assert [ln.text if ln is not None else None for ln in lines] == ["Un", None, "Deux suite"]


def test_physical_lines_keep_one_entry_per_line_with_source_offsets():
    src = "  ab\u00a0 c \n\nð d"
    lines = physical_lines(src)
    assert [ln.text for ln in lines] == ["ab c", "", "→ d"]
    assert lines[0].offsets == (2, 3, 4, 6)
    assert lines[2].offsets == (10, 11, 12)


def test_physical_lines_of_a_range_keep_offsets_into_the_whole_source():
    src = "xxx\nab cd\nyy"
    (line,) = physical_lines(src, 4, 9)
    assert line.text == "ab cd"
    assert line.offsets == (4, 5, 6, 7, 8)


@pytest.mark.parametrize(
    "line",
    [
        "Chantier 1.4.3 Tourisme, culture, évènementiel et métiers du patrimoine",
        "Objectif 2.1 : Poursuivre la Garantie pour la Jeunesse",
        "1.8.1. Accélérer la transition numérique",
        "Ministre(s) porteur(s) :",
        "Ministre porteur",
        "Axe 2 : améliorer l’accès au financement",
        "Soutenir la transition numérique des écoles bruxelloises",
        "  Prévoir une approche spécifique pour la petite enfance  ",
    ],
)
def test_looks_like_heading(line):
    assert looks_like_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "En 2019-2020, le SE, en collaboration avec le CIRB, a lancé un marché.",
        "- Soutenir l’auto-création d’emploi",
        "Le plan",
        "hub.brussels a développé une série d’aides spécifiques.",
        "Soutenir " + "les écoles " * 20,  # an infinitive-led paragraph too long to be a title
        "",
    ],
)
def test_does_not_look_like_heading(line):
    assert not looks_like_heading(line)


# --- the Mapped value ----------------------------------------------------------------------------


def test_mapped_rejects_mismatched_offsets():
    with pytest.raises(ValueError):
        Mapped("abc", (0, 1))


def test_mapped_slice_strip_add_and_bounds():
    m = Mapped("  ab ", (10, 11, 12, 13, 14))
    assert m[2:4] == Mapped("ab", (12, 13))
    assert m.strip() == Mapped("ab", (12, 13))
    assert Mapped(" \n", (0, 1)).strip() == Mapped("", ())
    assert (m.strip().start, m.strip().end) == (12, 14)
    assert (Mapped("", ()).start, Mapped("", ()).end) == (0, 0)
    assert Mapped("a", (3,)) + Mapped("b", (7,)) == Mapped("ab", (3, 7))


def test_glue_anchors_separators_on_the_character_before():
    glued = Mapped.glue([Mapped("ab", (0, 1)), Mapped("cd", (5, 6))], " / ")
    assert glued == Mapped("ab / cd", (0, 1, 1, 1, 1, 5, 6))
    assert Mapped.glue([], " ") == Mapped("", ())


def test_original_span_maps_back():
    src = "- l’appel à projets\nOpen Soon soutenant"
    m = repair(src)
    i = m.text.index("projets Open")
    a, b = m.original_span(i, i + len("projets Open"))
    assert src[a:b] == "projets\nOpen"
    assert m.original_span(0, len(m.text)) == (0, len(src))


@pytest.mark.parametrize(("start", "end"), [(0, 0), (3, 2), (-1, 2), (0, 99)])
def test_original_span_rejects_bad_ranges(start, end):
    with pytest.raises(ValueError):
        repair("Un texte court.").original_span(start, end)


# --- on the real document ------------------------------------------------------------------------


def test_offsets_of_the_whole_real_document(doc):
    m = repair(doc.source)
    _check_offsets(doc.source, m)
    assert "ð" not in m.text
    assert "\u00a0" not in m.text
    assert not re.search(r" \n|\n |  |\n\n\n", m.text)


def test_each_logical_line_spans_exactly_its_characters(doc):
    lines = [ln for ln in logical_lines(doc.source) if ln is not None]
    assert len(lines) > 300
    for ln in lines:
        original = doc.source[ln.start : ln.end]
        # Same characters once whitespace is dropped (the arrow aside): nothing lost,
        # nothing taken from a neighbouring line.
        assert _squash(original) == _squash(ln.text).replace("→", "ð"), ln.text[:60]
        assert not original[0].isspace() and not original[-1].isspace()


@pytest.mark.parametrize(
    ("phrase", "original"),
    [
        ("projets Open Soon soutenant", "projets\nOpen Soon soutenant"),
        ("du 1er septembre 2020 au 31", "du 1\ner septembre 2020 au 31"),
        ("→ Cf. Objectif 1.3", "ð Cf. Objectif 1.3"),
        ("Ministre porteur : Secrétaire", f"Ministre porteur\n{NBSP}: Secrétaire"),
        ("Ministre porteur : Ministre Président", f"Ministre porteur{NBSP}: Ministre Président"),
        ("- Axe 2 : améliorer", f"-\nAxe 2{NBSP}: améliorer"),
        ("régénérative.", "régénérative\n."),
    ],
)
def test_original_span_round_trips_on_the_real_document(doc, phrase, original):
    m = repair(doc.source)
    i = m.text.index(phrase)
    a, b = m.original_span(i, i + len(phrase))
    assert doc.source[a:b] == original
    assert repair(doc.source, a, b).text == phrase


def test_repair_of_each_section_span_is_its_text(doc):
    sections = doc.sections()
    assert len(sections) > 70
    for s in sections:
        assert repair(doc.source, s.start, s.end).text == s.text, s.id


def test_repair_of_a_range_keeps_offsets_into_the_whole_source(doc):
    s = doc.section("chantier-1.2.2")
    m = repair(doc.source, s.start, s.end)
    assert m.start == s.start and m.end == s.end
    _check_offsets(doc.source, m)
