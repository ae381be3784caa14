"""The Brussels governments' portfolios in French and in Dutch, to match one with the other.

A Dutch page names its minister « belast met Leefmilieu », a French question asks about
« la ministre de l'Environnement »: the two share no stem. :func:`translations` gives, for
a metadata text, the stems of the other language's names of the portfolios it names, so
that :mod:`assistant.search.metadata_match` matches a question in either language.

The list is the competences of the Brussels-Capital Region's government, the Collège
réuni / Verenigd College of the Commission communautaire commune and the Collège of the
Commission communautaire française as they are written in the functions of the
Parliament's pages, each in both official languages. It names portfolios, never people:
a name is the same in both languages.

Non-goals: general translation, the portfolios of other governments, fuzzy matching.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["PORTFOLIOS", "translations"]

# (French, Dutch): the names as the functions write them
PORTFOLIOS: tuple[tuple[str, str], ...] = (
    ("Mobilité", "Mobiliteit"),
    ("Travaux publics", "Openbare Werken"),
    ("Sécurité routière", "Verkeersveiligheid"),
    ("Environnement", "Leefmilieu"),
    ("Transition climatique", "Klimaattransitie"),
    ("Climat", "Klimaat"),
    ("Énergie", "Energie"),
    ("Démocratie participative", "Participatieve Democratie"),
    ("Logement", "Huisvesting"),
    ("Égalité des chances", "Gelijke Kansen"),
    ("Emploi", "Werk"),
    ("Formation professionnelle", "Beroepsopleiding"),
    ("Transition numérique", "Digitalisering"),
    ("Pouvoirs locaux", "Plaatselijke Besturen"),
    ("Finances", "Financiën"),
    ("Fonction publique", "Openbaar Ambt"),
    ("Propreté publique", "Openbare Netheid"),
    ("Propreté", "Netheid"),
    ("Commerce extérieur", "Buitenlandse Handel"),
    ("Commerce", "Handel"),
    ("Urbanisme", "Stedenbouw"),
    ("Transition économique", "Economische Transitie"),
    ("Économie", "Economie"),
    ("Recherche scientifique", "Wetenschappelijk Onderzoek"),
    ("Santé", "Gezondheid"),
    ("Action sociale", "Welzijn"),
    ("Aide aux personnes", "Bijstand aan Personen"),
    ("Famille", "Gezin"),
    ("Personnes handicapées", "Personen met een Handicap"),
    ("Développement territorial", "Territoriale Ontwikkeling"),
    ("Rénovation urbaine", "Stedelijke Vernieuwing"),
    ("Tourisme", "Toerisme"),
    ("Promotion de l'Image de Bruxelles", "Promotie van het Imago van Brussel"),
    ("Biculturel", "Biculturele"),
    ("Relations européennes et internationales", "Europese en Internationale Betrekkingen"),
    ("Relations extérieures", "Externe Betrekkingen"),
    ("Lutte contre l'incendie", "Brandbestrijding"),
    ("Aide médicale urgente", "Dringende Medische Hulp"),
    ("Patrimoine", "Erfgoed"),
    ("Bien-être animal", "Dierenwelzijn"),
    ("Sécurité", "Veiligheid"),
    ("Prévention", "Preventie"),
    ("Statistique", "Statistiek"),
    ("Informatique", "Informatica"),
    ("Port de Bruxelles", "Haven van Brussel"),
    ("Sport", "Sport"),
    ("Culture", "Cultuur"),
    ("Enseignement", "Onderwijs"),
    ("Jeunesse", "Jeugd"),
    ("Cultes", "Erediensten"),
    ("Eau", "Water"),
    ("Agriculture", "Landbouw"),
    ("Innovation", "Innovatie"),
    ("Simplification administrative", "Administratieve Vereenvoudiging"),
    ("Gestion des déchets", "Afvalbeheer"),
    ("Politique de l'eau", "Waterbeleid"),
    ("Infrastructures sportives", "Sportinfrastructuur"),
    ("Cohésion sociale", "Sociale Cohesie"),
    ("Fiscalité", "Fiscaliteit"),
)


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[tuple[frozenset[str], ...], frozenset[str]], ...]:
    """(a name's words as stems, the other name's stems), the longest names first."""
    from .metadata_match import stems, word_stems

    pairs = []
    for fr, nl in PORTFOLIOS:
        pairs.append((tuple(word_stems(fr)), stems(nl)))
        pairs.append((tuple(word_stems(nl)), stems(fr)))
    return tuple(sorted((p for p in pairs if p[0]), key=lambda p: -len(p[0])))


def translations(text: str) -> frozenset[str]:
    """The stems of the other language's name of each portfolio that ``text`` (a document's
    metadata) names, word for word (stop words aside).

    Longer names are read first and their words are not read again: « Openbare Werken »
    is Travaux publics, not Emploi (« Werk »); « Commerce extérieur » is not Commerce.
    """
    from .metadata_match import word_stems

    words = word_stems(text)
    used = [False] * len(words)
    out: set[str] = set()
    for phrase, other in _phrases():
        n = len(phrase)
        for i in range(len(words) - n + 1):
            span = range(i, i + n)
            if not any(used[j] for j in span) and all(phrase[k] & words[i + k] for k in range(n)):
                out |= other
                for j in span:
                    used[j] = True
    return frozenset(out)
