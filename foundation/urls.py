from django.urls import path

from .views import catalogue_import, exports, projector, quiz, tools

app_name = "foundation"

urlpatterns = [
    path("", tools.index, name="index"),
    path("glossary/", tools.glossary, name="glossary"),
    path("models/", tools.catalogue, name="catalogue"),
    path("models/import/", catalogue_import.catalogue_import, name="catalogue_import"),
    path("calculator/", tools.calculator_page, name="calculator"),
    path("calculator.xlsx", exports.calculator_xlsx, name="calculator_xlsx"),
    path("evolution/", tools.evolution, name="evolution"),
    path("evolution.pdf", exports.evolution_pdf, name="evolution_pdf"),
    path("break-even/", tools.break_even, name="break_even"),
    path(
        "workshops/<int:workshop_id>/project/",
        projector.tool_project,
        name="tool_project",
    ),
    # Knowledge check: participants, then the facilitator's controls.
    path("quiz/", quiz.participant_quiz, name="quiz"),
    path("quiz/answer/", quiz.participant_answer, name="quiz_answer"),
    path("workshops/<int:workshop_id>/quiz/", quiz.facilitator_quiz, name="quiz_facilitator"),
    path(
        "workshops/<int:workshop_id>/quiz/open/<int:question_id>/",
        quiz.quiz_open,
        name="quiz_open",
    ),
    path("workshops/<int:workshop_id>/quiz/close/", quiz.quiz_close, name="quiz_close"),
    path("workshops/<int:workshop_id>/quiz/next/", quiz.quiz_next, name="quiz_next"),
    path("workshops/<int:workshop_id>/quiz/project/", quiz.quiz_project, name="quiz_project"),
]
