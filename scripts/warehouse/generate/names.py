"""Vocabulary for the club collections: people, collection names, rate labels."""

from __future__ import annotations

import random
import unicodedata

from warehouse.generate.common import rint

FIRST_NAMES = (
    "Camille",
    "Lucas",
    "Emma",
    "Hugo",
    "Léa",
    "Louis",
    "Chloé",
    "Gabriel",
    "Manon",
    "Arthur",
    "Inès",
    "Jules",
    "Sarah",
    "Adam",
    "Zoé",
    "Raphaël",
    "Jade",
    "Nathan",
    "Lina",
    "Théo",
    "Alice",
    "Tom",
    "Nour",
    "Maël",
    "Oliver",
    "Amelia",
    "Harry",
    "Grace",
    "Noah",
    "Mia",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "N'Diaye",
    "O'Brien",
    "Smith",
    "Le Gall",
)
MAIL_DOMAINS = ("gmail.com", "orange.fr", "free.fr", "laposte.net", "outlook.com", "yahoo.fr")
KINDS = {"membership": 40, "activity_registration": 25, "equipment_preorder": 20, "donation": 15}
COLLECTION_NAMES = {
    "membership": (
        "Adhésion saison {season}",
        "Licence {season}, toutes catégories",
        'Cotisation {season} "loisirs"',
    ),
    "activity_registration": (
        "Stage de Toussaint {year}",
        "Tournoi de printemps, {year}",
        "Stage d'été {year} (U11-U13)",
    ),
    "equipment_preorder": (
        "Pré-commande maillots {year}",
        'Boutique du club: pack "rentrée"',
        "Survêtements, sacs et gourdes {year}",
    ),
    "donation": (
        "Campagne de dons {year}",
        "Soutien au club: nouveau minibus",
        "Dons pour les vestiaires, {year}",
    ),
}
RATE_LABELS = {
    "membership": ("Adultes", "Enfants", "Étudiants", "Famille", "Dirigeants"),
    "activity_registration": ("Journée", "Semaine complète", "Demi-journée", "Accompagnateur"),
    "equipment_preorder": ("Maillot", "Short", "Pack complet", "Chaussettes"),
    "donation": ("Don libre", "Don 20 €", "Don 50 €", "Mécène"),
}
FREE_LABELS = frozenset({"Dirigeants", "Accompagnateur", "Don libre"})


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


ASCII = {name: "".join(c for c in _ascii(name) if c.isalnum()) for name in FIRST_NAMES + LAST_NAMES}


def person_email(rng: random.Random, first: str, last: str) -> str:
    """A plausible personal email for first last."""
    return f"{ASCII[first]}.{ASCII[last]}{rint(rng, 1, 99)}@{rng.choice(MAIL_DOMAINS)}"


def collection_name(rng: random.Random, kind: str, year: int) -> str:
    template = rng.choice(COLLECTION_NAMES[kind])
    return template.format(season=f"{year}-{year + 1}", year=year)


def rate_amount(rng: random.Random, kind: str, label: str) -> int:
    """Minor units; free rates (0) for staff, companions and free donations."""
    if label in FREE_LABELS or rng.random() < 0.03:
        return 0
    low, high = {
        "membership": (40, 80),
        "activity_registration": (10, 60),
        "equipment_preorder": (5, 30),
        "donation": (4, 40),
    }[kind]
    return rint(rng, low, high) * 500
