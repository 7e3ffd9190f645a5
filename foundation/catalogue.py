"""Block 1's seeded catalogues, loaded by `manage.py load_catalogues` (insert-if-missing, so
admin edits are kept)."""

from . import seeds
from .models import GlossaryTerm, LLMModel, PricePoint, Question


def load() -> dict[str, int]:
    return {
        "glossary terms": seeds.seed_glossary(GlossaryTerm),
        "price points": seeds.seed_catalogue(LLMModel, PricePoint),
        "quiz questions": seeds.seed_questions(Question),
    }
