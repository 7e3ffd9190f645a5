import pytest

from foundation import seeds


@pytest.fixture
def seeded(db):
    """The seeded catalogues, even after a browser test (transactional) emptied the tables."""
    from foundation.models import GlossaryTerm, LLMModel, PricePoint, Question

    seeds.seed_glossary(GlossaryTerm)
    seeds.seed_catalogue(LLMModel, PricePoint)
    seeds.seed_questions(Question)
