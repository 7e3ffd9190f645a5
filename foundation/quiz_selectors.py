"""Reads of the knowledge check: the facilitator's page, a participant's screen, the projector
and the summary kept for the register. Query counts do not grow with questions or answers."""

from dataclasses import dataclass, field
from decimal import Decimal

from workshops.models import BreakoutTable, Participant, Workshop

from .models import Answer, Question, QuestionRun, QuizRound


@dataclass
class ChoiceResult:
    letter: str
    text: str
    count: int
    share: Decimal  # 0..1 of the answers
    correct: bool

    @property
    def percent(self) -> int:
        return int((self.share * 100).to_integral_value())


@dataclass
class RunResult:
    run: QuestionRun
    choices: list[ChoiceResult]
    answers: int
    correct: int

    @property
    def question(self) -> Question:
        return self.run.question


@dataclass
class TableScore:
    table: BreakoutTable
    participants: int
    answers: int
    correct: int

    @property
    def share(self) -> Decimal:
        return Decimal(self.correct) / self.answers if self.answers else Decimal(0)

    @property
    def percent(self) -> int:
        return int((self.share * 100).to_integral_value())


@dataclass
class ConceptMiss:
    concept: str
    answers: int
    wrong: int

    @property
    def miss_share(self) -> Decimal:
        return Decimal(self.wrong) / self.answers if self.answers else Decimal(0)

    @property
    def percent(self) -> int:
        return int((self.miss_share * 100).to_integral_value())


@dataclass
class QuizSummary:
    runs: list[RunResult]  # every question asked, in question order
    tables: list[TableScore]  # best first; closed questions only
    missed_concepts: list[ConceptMiss]  # most missed first; closed questions only
    current: RunResult | None = None
    participants: int = 0
    answered_current: set = field(default_factory=set)  # participant ids


def _result(run: QuestionRun, answers: list[Answer]) -> RunResult:
    counts = [0] * len(run.question.choices)
    for answer in answers:
        if 0 <= answer.choice < len(counts):
            counts[answer.choice] += 1
    total = sum(counts)
    choices = [
        ChoiceResult(
            letter=letter,
            text=text,
            count=counts[i],
            share=Decimal(counts[i]) / total if total else Decimal(0),
            correct=i == run.question.correct_choice,
        )
        for i, (letter, text) in enumerate(run.question.letters)
    ]
    return RunResult(
        run=run, choices=choices, answers=total, correct=counts[run.question.correct_choice]
    )


def quiz_summary(workshop: Workshop) -> QuizSummary:
    """Per-question distribution, per-table scores and the concepts most missed: five
    queries, however many questions, tables and answers."""
    current_id = (
        QuizRound.objects.filter(workshop=workshop).values_list("current_run_id", flat=True).first()
    )
    runs = list(
        QuestionRun.objects.filter(round__workshop=workshop)
        .select_related("question")
        .order_by("question__position", "pk")
    )
    answers = list(
        Answer.objects.filter(run__round__workshop=workshop).select_related("participant")
    )
    tables = list(BreakoutTable.objects.filter(workshop=workshop).order_by("position", "name"))
    participants = list(
        Participant.objects.filter(table__workshop=workshop, removed=False).values_list(
            "pk", "table_id"
        )
    )
    by_run: dict[int, list[Answer]] = {}
    for answer in answers:
        by_run.setdefault(answer.run_id, []).append(answer)
    results = [_result(run, by_run.get(run.pk, [])) for run in runs]

    scores = {
        t.pk: TableScore(
            table=t,
            participants=sum(1 for _, tid in participants if tid == t.pk),
            answers=0,
            correct=0,
        )
        for t in tables
    }
    concepts: dict[str, ConceptMiss] = {}
    for result in results:
        if result.run.is_open:
            continue
        concept = concepts.setdefault(
            result.question.concept, ConceptMiss(result.question.concept, 0, 0)
        )
        for answer in by_run.get(result.run.pk, []):
            right = answer.choice == result.question.correct_choice
            concept.answers += 1
            concept.wrong += not right
            score = scores.get(answer.participant.table_id)
            if score is not None:
                score.answers += 1
                score.correct += right
    ranked = sorted(scores.values(), key=lambda s: (-s.share, -s.correct, s.table.position))
    missed = sorted(
        (c for c in concepts.values() if c.wrong),
        key=lambda c: (-c.miss_share, -c.wrong, c.concept),
    )
    current = next((r for r in results if r.run.pk == current_id), None)
    return QuizSummary(
        runs=results,
        tables=ranked,
        missed_concepts=missed,
        current=current,
        participants=len(participants),
        answered_current={a.participant_id for a in by_run.get(current_id, [])},
    )


def quiz_questions(workshop: Workshop) -> list[tuple[Question, QuestionRun | None]]:
    """The active questions in order, each with its run in this workshop if asked: two
    queries."""
    runs = {run.question_id: run for run in QuestionRun.objects.filter(round__workshop=workshop)}
    return [(q, runs.get(q.pk)) for q in Question.objects.filter(active=True)]


@dataclass
class ParticipantQuiz:
    state: str
    run: QuestionRun | None
    answer: Answer | None
    result: RunResult | None  # once closed


def participant_quiz(participant: Participant) -> ParticipantQuiz:
    """What a participant's screen shows: the current question, their answer, and the
    results once the question is closed."""
    workshop = participant.table.workshop
    quiz_round = (
        QuizRound.objects.filter(workshop=workshop).select_related("current_run__question").first()
    )
    run = quiz_round.current_run if quiz_round else None
    if run is None:
        return ParticipantQuiz(state="none", run=None, answer=None, result=None)
    answers = list(run.answers.all())
    mine = next((a for a in answers if a.participant_id == participant.pk), None)
    result = None if run.is_open else _result(run, answers)
    return ParticipantQuiz(state=f"{run.pk}-{run.status}", run=run, answer=mine, result=result)


def projector_context(workshop: Workshop) -> dict:
    """Context of the projector's "Knowledge check" view."""
    return {"quiz": quiz_summary(workshop)}
