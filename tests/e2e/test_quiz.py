"""The knowledge check in real browsers: the facilitator opens a question, two participants
answer on their laptops, the facilitator closes it and the projector shows the result."""

import re

import pytest
from playwright.sync_api import expect

from foundation import seeds
from foundation.models import Answer, Question
from tests import factories
from tests.e2e.conftest import join, sign_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_quiz_question_answered_by_two_and_shown_on_the_projector(live_server, new_page):
    seeds.seed_questions(Question)  # a transactional test may start from emptied tables
    facilitator = factories.make_user(username="host")
    workshop = factories.make_workshop(
        facilitator=facilitator, client_organisation="Acme", status="live"
    )
    table_a = factories.make_table(workshop=workshop, name="Table A")
    table_b = factories.make_table(workshop=workshop, name="Table B")
    base = live_server.url

    host = new_page()
    sign_in(host, base, "host")
    host.goto(f"{base}/foundation/workshops/{workshop.pk}/quiz/")
    expect(host.locator(".quiz-current")).to_contain_text("No question asked yet.")
    host.click("#next-question")
    expect(host.locator(".quiz-current")).to_contain_text(
        "Which tokens usually cost more per million?"
    )

    ana, ben = new_page(), new_page()
    join(ana, base, table_a.join_code, "Ana")
    join(ben, base, table_b.join_code, "Ben")
    for page, letter in ((ana, "B"), (ben, "A")):
        page.goto(f"{base}/foundation/quiz/")
        expect(page.locator("legend")).to_have_text("Which tokens usually cost more per million?")
        page.locator(".quiz-option", has_text=letter).first.click()
        page.click("#submit-answer")
        expect(page.locator(".quiz-saved")).to_contain_text(f"Your answer: {letter}.")

    # Answers arrive on the facilitator's page by polling.
    expect(host.locator("#answer-count")).to_have_text("2", timeout=5000)
    assert sorted(Answer.objects.values_list("choice", flat=True)) == [0, 1]

    host.click("text=Show on the projector")
    projector = host.context.new_page()
    projector.console_errors = []
    projector.on(
        "console",
        lambda msg: projector.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    projector.goto(f"{base}/workshops/{workshop.pk}/projector/")
    expect(projector.locator(".pj-quiz-count")).to_contain_text("2 of 2 answered")

    host.click("#close-question")
    expect(host.locator(".quiz-current")).to_contain_text("✓ right answer")

    # The projector refreshes to the distribution, the right answer and why.
    correct = projector.locator(".quiz-choice.correct")
    expect(correct).to_contain_text("Output tokens", timeout=5000)
    expect(correct.locator(".quiz-count")).to_have_text("1 (50%)")
    expect(projector.locator(".quiz-explanation")).to_contain_text("3 to 5 times the input price")
    expect(projector.locator(".pj-quiz-tables")).to_contain_text("Table A 1/1 right")

    # Each participant's screen turns to the result.
    expect(ana.locator(".quiz-verdict")).to_have_text("Right! You answered B.", timeout=5000)
    expect(ben.locator(".quiz-verdict")).to_have_text(
        re.compile(r"Not this time: you answered A; the right answer is B\.")
    )

    for page in (host, ana, ben, projector):
        assert page.console_errors == []
