"""The knowledge check: the facilitator's controls and results, the participant's answer
screen. The projector's view is registered in foundation.apps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from workshops import live
from workshops.changes import ROOM_REGION, WORK_REVIEW
from workshops.models import Workshop
from workshops.permissions import participant_or_404, workshop_for_facilitator
from workshops.views.polling import facilitator_poll, live_poll, live_rev, participant_poll

from .. import quiz_selectors, quiz_services
from ..forms import AnswerForm
from ..models import Question


def _facilitator_context(workshop: Workshop) -> dict:
    summary = quiz_selectors.quiz_summary(workshop)
    return {
        "workshop": workshop,
        "quiz": summary,
        "questions": quiz_selectors.quiz_questions(workshop),
        "rev": live_rev(workshop, WORK_REVIEW),
    }


@facilitator_poll(WORK_REVIEW)
@login_required
@require_GET
def facilitator_quiz(request, workshop_id: int):
    """Open, close and move through the questions; see answers arrive and the results."""
    workshop = workshop_for_facilitator(request, workshop_id)
    if (answer := live_poll(request, workshop, WORK_REVIEW)) is not None:
        return answer
    context = _facilitator_context(workshop)
    if request.htmx:
        return render(request, "foundation/quiz_facilitator.html#live", context)
    return render(request, "foundation/quiz_facilitator.html", context)


def _done(request, workshop: Workshop, message: str):
    if request.htmx:
        return render(
            request, "foundation/quiz_facilitator.html#live", _facilitator_context(workshop)
        )
    messages.success(request, message)
    return redirect("foundation:quiz_facilitator", workshop_id=workshop.pk)


@login_required
@require_POST
def quiz_open(request, workshop_id: int, question_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    question = get_object_or_404(Question, pk=question_id, active=True)
    quiz_services.quiz_question_open(workshop=workshop, question=question)
    return _done(request, workshop, f"Question {question.position} is open for answers.")


@login_required
@require_POST
def quiz_close(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    run = quiz_services.quiz_question_close(workshop=workshop)
    message = (
        "Closed: the results and the right answer are showing." if run else "No question was open."
    )
    return _done(request, workshop, message)


@login_required
@require_POST
def quiz_next(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    run = quiz_services.quiz_question_next(workshop=workshop)
    message = (
        f"Question {run.question.position} is open for answers."
        if run
        else "Every question has been asked."
    )
    return _done(request, workshop, message)


@login_required
@require_POST
def quiz_project(request, workshop_id: int):
    """Put the knowledge check on the projector."""
    workshop = workshop_for_facilitator(request, workshop_id)
    live.projector_show(workshop=workshop, view="quiz")
    return _done(request, workshop, "The projector shows the knowledge check.")


# --- Participants ---------------------------------------------------------------------------
def _participant_context(participant, form=None, saved=False) -> dict:
    state = quiz_selectors.participant_quiz(participant)
    if form is None and state.run is not None and state.run.is_open:
        form = AnswerForm(
            initial={"run": state.run.pk, "choice": state.answer.choice if state.answer else None},
            question=state.run.question,
        )
    return {
        "participant": participant,
        "workshop": participant.table.workshop,
        "rev": live_rev(participant.table.workshop, ROOM_REGION),
        "state": state,
        "form": form,
        "saved": saved,
    }


@participant_poll(ROOM_REGION)
@require_GET
def participant_quiz(request):
    """The participant's screen: the open question to answer, or the last results. Polls
    with ?rev=...: unchanged (nobody opened or closed a question) -> 204."""
    participant = participant_or_404(request)
    if (answer := live_poll(request, participant.table.workshop, ROOM_REGION)) is not None:
        return answer
    context = _participant_context(participant)
    if request.htmx:
        return render(request, "foundation/quiz_participant.html#question", context)
    return render(request, "foundation/quiz_participant.html", context)


@require_POST
def participant_answer(request):
    participant = participant_or_404(request)
    state = quiz_selectors.participant_quiz(participant)
    question = state.run.question if state.run else None
    form = AnswerForm(request.POST, question=question)
    saved = False
    if question is None:
        form.add_error(None, "There is no question to answer right now.")
    elif form.is_valid():
        try:
            quiz_services.quiz_answer(
                participant=participant,
                run_id=form.cleaned_data["run"],
                choice=form.cleaned_data["choice"],
            )
            saved = True
        except ValidationError as refused:
            form.add_error(None, refused.messages[0])
    if saved:
        if not request.htmx:
            messages.success(request, "Answer saved. You can change it until the question closes.")
            return redirect("foundation:quiz")
        context = _participant_context(participant, saved=True)
        return render(request, "foundation/quiz_participant.html#question", context)
    context = _participant_context(participant, form=form)
    template = "foundation/quiz_participant.html"
    return render(
        request, f"{template}#question" if request.htmx else template, context, status=422
    )
