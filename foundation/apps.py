from django.apps import AppConfig


class FoundationConfig(AppConfig):
    name = "foundation"
    verbose_name = "Foundation (Block 1)"

    def ready(self):
        from common.documents import DocumentKind, register_kind
        from workshops.projector import ProjectorView, register

        from .views.exports import EVOLUTION_PDF, render_evolution_pdf

        register_kind(
            DocumentKind(
                name=EVOLUTION_PDF,
                title="the cost evolution infographic",
                render=render_evolution_pdf,
            )
        )

        from .quiz_selectors import projector_context

        register(
            ProjectorView(
                key="quiz",
                label="Knowledge check",
                template="foundation/projector_quiz.html",
                context=projector_context,
            )
        )
