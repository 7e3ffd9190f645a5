"""The knowledge check: the facilitator's controls, participants' answers, the summary kept for
the register, the projector view, permissions and polling."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from foundation import quiz_selectors, quiz_services
from foundation.models import Answer, Question, QuestionRun, QuizRound
from tests import factories
from tests.live import region_rev, review_rev
from workshops import changes, projector
from workshops.models import Workshop

pytestmark = pytest.mark.usefixtures("seeded")

PARTICIPANT_QUIZ = reverse("foundation:quiz")
ANSWER = reverse("foundation:quiz_answer")


@pytest.fixture
def live_workshop(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status="live")
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def room(live_workshop):
    """Two tables with two participants each."""
    table_a = factories.make_table(workshop=live_workshop, name="Table A")
    table_b = factories.make_table(workshop=live_workshop, name="Table B")
    return {
        "a1": factories.make_participant(table=table_a, display_name="Ana"),
        "a2": factories.make_participant(table=table_a, display_name="Ben"),
        "b1": factories.make_participant(table=table_b, display_name="Cleo"),
        "b2": factories.make_participant(table=table_b, display_name="Dev"),
    }


def _question(key: str) -> Question:
    return Question.objects.get(key=key)


def test_seeded_questions(db):
    questions = list(Question.objects.all())
    assert len(questions) >= 10
    for question in questions:
        question.full_clean()
        assert question.explanation
        assert question.concept


def test_question_clean_refuses_bad_choices(db):
    question = Question(
        key="x", text="?", choices=["only one"], correct_choice=0, explanation="e", concept="c"
    )
    with pytest.raises(ValidationError) as refused:
        question.clean()
    assert refused.value.message_dict == {"choices": ["Give between 2 and 6 answers as a list."]}
    question.choices = ["a", "b"]
    question.correct_choice = 2
    with pytest.raises(ValidationError) as refused:
        question.clean()
    assert refused.value.message_dict == {"correct_choice": ["Choose a position from 0 to 1."]}


def test_open_close_next_and_revision(live_workshop):
    revision = live_workshop.revision
    run = quiz_services.quiz_question_open(
        workshop=live_workshop, question=_question("output-price")
    )
    assert run.is_open
    live_workshop.refresh_from_db()
    assert live_workshop.revision == revision + 1
    closed = quiz_services.quiz_question_close(workshop=live_workshop)
    assert closed.status == "closed"
    assert closed.closed_at is not None
    nxt = quiz_services.quiz_question_next(workshop=live_workshop)
    assert nxt.question.key == "token-size"
    # Opening another question closes the open one: one open at a time.
    quiz_services.quiz_question_open(workshop=live_workshop, question=_question("batch"))
    assert QuestionRun.objects.filter(round__workshop=live_workshop, status="open").count() == 1
    assert QuizRound.objects.get(workshop=live_workshop).current_run.question.key == "batch"
    live_workshop.refresh_from_db()
    assert live_workshop.revision == revision + 4


def test_close_with_nothing_open_changes_nothing(live_workshop):
    revision = live_workshop.revision
    assert quiz_services.quiz_question_close(workshop=live_workshop) is None
    live_workshop.refresh_from_db()
    assert live_workshop.revision == revision


def test_next_after_every_question_returns_none(live_workshop):
    for question in Question.objects.all():
        quiz_services.quiz_question_open(workshop=live_workshop, question=question)
    assert quiz_services.quiz_question_next(workshop=live_workshop) is None


def test_answer_once_per_participant_changeable_until_closed(room, live_workshop):
    run = quiz_services.quiz_question_open(
        workshop=live_workshop, question=_question("output-price")
    )
    quiz_services.quiz_answer(participant=room["a1"], run_id=run.pk, choice=0)
    quiz_services.quiz_answer(participant=room["a1"], run_id=run.pk, choice=1)
    assert list(Answer.objects.values_list("participant_id", "choice")) == [(room["a1"].pk, 1)]
    quiz_services.quiz_question_close(workshop=live_workshop)
    with pytest.raises(ValidationError) as refused:
        quiz_services.quiz_answer(participant=room["a1"], run_id=run.pk, choice=2)
    assert refused.value.messages == ["This question is closed; your answer can no longer change."]
    assert Answer.objects.get().choice == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ("not-live", "The workshop is not live, so answers are not taken."),
        ("bad-choice", "Choose one of the answers shown."),
        ("other-workshop", "This question is not part of your workshop's knowledge check."),
    ],
)
def test_answer_refusals(room, live_workshop, change, message):
    run = quiz_services.quiz_question_open(
        workshop=live_workshop, question=_question("output-price")
    )
    participant, run_id, choice = room["b1"], run.pk, 1
    if change == "not-live":
        Workshop.objects.filter(pk=live_workshop.pk).update(status="closed")
        participant.refresh_from_db()
        participant.table.workshop.refresh_from_db()
    elif change == "bad-choice":
        choice = 9
    else:
        other = factories.make_workshop(status="live")
        participant = factories.make_participant(table=factories.make_table(workshop=other))
    with pytest.raises(ValidationError) as refused:
        quiz_services.quiz_answer(participant=participant, run_id=run_id, choice=choice)
    assert refused.value.messages == [message]
    assert Answer.objects.count() == 0


def _play(room, live_workshop):
    """Q1: A-table all right, B-table one right. Q2 (cost per task): everyone wrong but one."""
    q1 = quiz_services.quiz_question_open(
        workshop=live_workshop, question=_question("output-price")
    )
    for key, choice in [("a1", 1), ("a2", 1), ("b1", 1), ("b2", 0)]:
        quiz_services.quiz_answer(participant=room[key], run_id=q1.pk, choice=choice)
    quiz_services.quiz_question_close(workshop=live_workshop)
    q2 = quiz_services.quiz_question_open(workshop=live_workshop, question=_question("task-cost"))
    for key, choice in [("a1", 0), ("a2", 1), ("b1", 2), ("b2", 3)]:
        quiz_services.quiz_answer(participant=room[key], run_id=q2.pk, choice=choice)
    quiz_services.quiz_question_close(workshop=live_workshop)


def test_quiz_summary_distribution_tables_and_missed_concepts(room, live_workshop):
    _play(room, live_workshop)
    summary = quiz_selectors.quiz_summary(live_workshop)
    first = summary.runs[0]
    assert [(c.letter, c.count, c.percent, c.correct) for c in first.choices] == [
        ("A", 1, 25, False),
        ("B", 3, 75, True),
        ("C", 0, 0, False),
        ("D", 0, 0, False),
    ]
    assert [(s.table.name, s.correct, s.answers, s.percent) for s in summary.tables] == [
        ("Table A", 3, 4, 75),
        ("Table B", 1, 4, 25),
    ]
    assert [(c.concept, c.wrong, c.answers, c.percent) for c in summary.missed_concepts] == [
        ("Cost per task", 3, 4, 75),
        ("Input vs output tokens", 1, 4, 25),
    ]
    assert summary.current.question.key == "task-cost"
    assert summary.participants == 4


def test_quiz_summary_open_question_not_scored(room, live_workshop):
    run = quiz_services.quiz_question_open(workshop=live_workshop, question=_question("batch"))
    quiz_services.quiz_answer(participant=room["a1"], run_id=run.pk, choice=0)
    summary = quiz_selectors.quiz_summary(live_workshop)
    assert summary.current.answers == 1
    assert summary.missed_concepts == []
    assert [s.answers for s in summary.tables] == [0, 0]


@pytest.mark.parametrize("participants", [1, 12])
def test_quiz_summary_query_count_does_not_grow(
    live_workshop, django_assert_num_queries, participants
):
    table = factories.make_table(workshop=live_workshop)
    people = [
        factories.make_participant(table=table, display_name=f"P{i}") for i in range(participants)
    ]
    for key in ["output-price", "token-size", "batch"]:
        run = quiz_services.quiz_question_open(workshop=live_workshop, question=_question(key))
        for person in people:
            quiz_services.quiz_answer(participant=person, run_id=run.pk, choice=1)
        quiz_services.quiz_question_close(workshop=live_workshop)
    with django_assert_num_queries(5):
        quiz_selectors.quiz_summary(live_workshop)


def test_projector_registers_the_quiz_view(room, live_workshop):
    view = projector.REGISTRY["quiz"]
    assert (view.label, view.template) == ("Knowledge check", "foundation/projector_quiz.html")
    _play(room, live_workshop)
    assert view.context(live_workshop)["quiz"].current.question.key == "task-cost"


def test_projector_shows_distribution_answer_and_explanation(
    facilitator_client, room, live_workshop
):
    _play(room, live_workshop)
    Workshop.objects.filter(pk=live_workshop.pk).update(projector_view="quiz")
    content = facilitator_client.get(
        reverse("workshops:projector", args=[live_workshop.pk])
    ).content.decode()
    assert "✓ right answer" in content
    assert "2,000 x $3 / 1M = $0.006 plus 500 x $15 / 1M = $0.0075: $0.0135 per task." in content
    assert '<span class="quiz-count">1 <span class="quiz-percent">(25%)</span></span>' in content
    assert "style=" not in content


# --- Facilitator pages -----------------------------------------------------------------------


def test_facilitator_quiz_page_and_controls(facilitator_client, room, live_workshop):
    url = reverse("foundation:quiz_facilitator", args=[live_workshop.pk])
    assert "No question asked yet." in facilitator_client.get(url).content.decode()
    response = facilitator_client.post(reverse("foundation:quiz_next", args=[live_workshop.pk]))
    assert response.status_code == 302
    run = QuestionRun.objects.get()
    assert (run.question.key, run.status) == ("output-price", "open")
    factories.join_table(facilitator_client, room["a1"])
    facilitator_client.post(ANSWER, {"run": run.pk, "choice": "1"})
    content = facilitator_client.get(url).content.decode()
    assert '<strong id="answer-count">1</strong> of 4 participants answered.' in content
    response = facilitator_client.post(
        reverse("foundation:quiz_close", args=[live_workshop.pk]), headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="quiz-live"')
    assert "✓ right answer" in content
    reopen = reverse("foundation:quiz_open", args=[live_workshop.pk, run.question.pk])
    facilitator_client.post(reopen)
    run.refresh_from_db()
    assert run.status == "open"
    assert Answer.objects.count() == 1


def test_facilitator_quiz_poll_unchanged_is_204(facilitator_client, live_workshop):
    url = reverse("foundation:quiz_facilitator", args=[live_workshop.pk])
    rev = review_rev(live_workshop)
    response = facilitator_client.get(url, {"rev": rev}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    response = facilitator_client.get(url, {"rev": rev - 1}, headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_quiz_show_on_projector(facilitator_client, live_workshop):
    facilitator_client.post(reverse("foundation:quiz_project", args=[live_workshop.pk]))
    live_workshop.refresh_from_db()
    assert live_workshop.projector_view == "quiz"


@pytest.mark.parametrize(
    "name, args",
    [("quiz_facilitator", []), ("quiz_next", []), ("quiz_close", []), ("quiz_project", [])],
)
def test_facilitator_quiz_is_404_for_other_facilitators(client, live_workshop, name, args):
    client.force_login(factories.make_user())
    url = reverse(f"foundation:{name}", args=[live_workshop.pk, *args])
    response = client.post(url) if name != "quiz_facilitator" else client.get(url)
    assert response.status_code == 404
    assert QuestionRun.objects.count() == 0


def test_facilitator_quiz_needs_login(client, live_workshop):
    response = client.get(reverse("foundation:quiz_facilitator", args=[live_workshop.pk]))
    assert response.status_code == 302


def test_open_unknown_question_is_404(facilitator_client, live_workshop):
    response = facilitator_client.post(
        reverse("foundation:quiz_open", args=[live_workshop.pk, 999999])
    )
    assert response.status_code == 404


# --- Participant pages -----------------------------------------------------------------------


def test_participant_page_needs_joining(client, db):
    assert client.get(PARTICIPANT_QUIZ).status_code == 404
    assert client.post(ANSWER, {"run": 1, "choice": 0}).status_code == 404


def test_participant_waits_then_answers_then_sees_result(client, room, live_workshop):
    factories.join_table(client, room["b1"])
    assert "Waiting for the facilitator" in client.get(PARTICIPANT_QUIZ).content.decode()
    run = quiz_services.quiz_question_open(
        workshop=live_workshop, question=_question("output-price")
    )
    content = client.get(PARTICIPANT_QUIZ).content.decode()
    assert "Which tokens usually cost more per million?" in content
    response = client.post(ANSWER, {"run": run.pk, "choice": "0"}, headers={"HX-Request": "true"})
    assert "Saved. Your answer: <strong>A</strong>." in response.content.decode()
    client.post(ANSWER, {"run": run.pk, "choice": "1"})
    assert Answer.objects.get(participant=room["b1"]).choice == 1
    quiz_services.quiz_question_close(workshop=live_workshop)
    content = client.get(PARTICIPANT_QUIZ).content.decode()
    assert "Right! You answered B." in content


@pytest.mark.parametrize(
    "data, message",
    [
        ({"choice": ""}, "Choose one of the answers."),
        ({"choice": "7"}, "Choose one of the answers shown."),
        ({"choice": "<script>"}, "Choose one of the answers shown."),
        ({"choice": "-1"}, "Choose one of the answers shown."),
    ],
)
def test_participant_bad_answer_is_explained(client, room, live_workshop, data, message):
    run = quiz_services.quiz_question_open(
        workshop=live_workshop, question=_question("output-price")
    )
    factories.join_table(client, room["a2"])
    response = client.post(ANSWER, {"run": run.pk, **data})
    assert response.status_code == 422
    assert response.context["form"].errors["choice"] == [message]
    assert "<script>" not in response.content.decode().split("<main", 1)[1]
    assert Answer.objects.count() == 0


def test_participant_answer_to_closed_question_is_refused(client, room, live_workshop):
    run = quiz_services.quiz_question_open(
        workshop=live_workshop, question=_question("output-price")
    )
    quiz_services.quiz_question_close(workshop=live_workshop)
    factories.join_table(client, room["a2"])
    response = client.post(ANSWER, {"run": run.pk, "choice": "1"})
    assert response.status_code == 422
    assert response.context["form"].errors["__all__"] == [
        "This question is closed; your answer can no longer change."
    ]
    assert "This question is closed; your answer can no longer change." in response.content.decode()
    assert Answer.objects.count() == 0


def test_participant_poll_is_204_while_nothing_opens_or_closes(
    client, room, live_workshop, django_assert_num_queries
):
    run = quiz_services.quiz_question_open(
        workshop=live_workshop, question=_question("output-price")
    )
    factories.join_table(client, room["a1"])
    rev = region_rev(live_workshop, changes.ROOM_REGION)
    response = client.get(PARTICIPANT_QUIZ, {"rev": rev}, headers={"HX-Request": "true"})
    assert response.status_code == 204  # and the participant's presence written
    quiz_services.quiz_answer(participant=room["a2"], run_id=run.pk, choice=0)  # others answering
    with django_assert_num_queries(2):
        response = client.get(PARTICIPANT_QUIZ, {"rev": rev}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    quiz_services.quiz_question_close(workshop=live_workshop)
    response = client.get(PARTICIPANT_QUIZ, {"rev": rev}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="quiz-question"')


def test_participant_poll_stops_when_the_workshop_closes(client, room, live_workshop):
    factories.join_table(client, room["a1"])
    Workshop.objects.filter(pk=live_workshop.pk).update(status="closed")
    response = client.get(PARTICIPANT_QUIZ, {"rev": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 286
