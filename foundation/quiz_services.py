"""Writes of the knowledge check: the facilitator opens, closes and moves on; participants
answer. Each bumps the workshop's revision so the projector and presenter refresh."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from workshops.changes import REVIEW, RUN
from workshops.models import Participant, Workshop
from workshops.services import workshop_touch

from .models import Answer, Question, QuestionRun, QuizRound


def _round(workshop: Workshop) -> QuizRound:
    quiz_round, _ = QuizRound.objects.select_for_update().get_or_create(workshop=workshop)
    return quiz_round


def _close_open_runs(quiz_round: QuizRound) -> None:
    quiz_round.runs.filter(status=QuestionRun.Status.OPEN).update(
        status=QuestionRun.Status.CLOSED, closed_at=timezone.now()
    )


@transaction.atomic
def quiz_question_open(*, workshop: Workshop, question: Question) -> QuestionRun:
    """Put `question` on every participant's screen, closing any question still open. A
    question asked before is opened again with its answers kept."""
    quiz_round = _round(workshop)
    _close_open_runs(quiz_round)
    run, created = QuestionRun.objects.get_or_create(
        round=quiz_round, question=question, defaults={"opened_at": timezone.now()}
    )
    if not created:
        run.status, run.closed_at = QuestionRun.Status.OPEN, None
        run.save(update_fields=["status", "closed_at"])
    quiz_round.current_run = run
    quiz_round.save(update_fields=["current_run"])
    workshop_touch(workshop_id=workshop.pk, scopes=RUN)
    return run


@transaction.atomic
def quiz_question_close(*, workshop: Workshop) -> QuestionRun | None:
    """Stop answers to the open question; its results, the right answer and the explanation
    show everywhere. Returns the closed run (None if nothing was open)."""
    quiz_round = _round(workshop)
    run = quiz_round.current_run
    if run is None or not run.is_open:
        return None
    _close_open_runs(quiz_round)
    workshop_touch(workshop_id=workshop.pk, scopes=RUN)
    run.refresh_from_db()
    return run


@transaction.atomic
def quiz_question_next(*, workshop: Workshop) -> QuestionRun | None:
    """Open the first active question not asked yet in this workshop (closing the current
    one). Returns None, and changes nothing, when every question has been asked."""
    quiz_round = _round(workshop)
    asked = set(quiz_round.runs.values_list("question_id", flat=True))
    question = Question.objects.filter(active=True).exclude(pk__in=asked).first()
    if question is None:
        return None
    return quiz_question_open(workshop=workshop, question=question)


@transaction.atomic
def quiz_answer(*, participant: Participant, run_id: int, choice: int) -> Answer:
    """Record (or change) the participant's answer to the open question of their workshop.

    Raises ValidationError with a sentence for the participant when the workshop is not live,
    the question is closed or not theirs, or the choice is not one of the answers."""
    workshop = participant.table.workshop
    if workshop.status != Workshop.Status.LIVE:
        raise ValidationError("The workshop is not live, so answers are not taken.")
    run = (
        QuestionRun.objects.select_for_update()
        .select_related("question")
        .filter(pk=run_id, round__workshop=workshop)
        .first()
    )
    if run is None:
        raise ValidationError("This question is not part of your workshop's knowledge check.")
    if not run.is_open:
        raise ValidationError("This question is closed; your answer can no longer change.")
    if not 0 <= choice < len(run.question.choices):
        raise ValidationError("Choose one of the answers shown.")
    answer, _ = Answer.objects.update_or_create(
        run=run, participant=participant, defaults={"choice": choice}
    )
    workshop_touch(workshop_id=workshop.pk, scopes=REVIEW)
    return answer
