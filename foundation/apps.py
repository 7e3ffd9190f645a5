from django.apps import AppConfig


class FoundationConfig(AppConfig):
    name = "foundation"
    verbose_name = "Foundation (Block 1)"

    def ready(self):
        from workshops.projector import ProjectorView, register

        from .quiz_selectors import projector_context

        register(
            ProjectorView(
                key="quiz",
                label="Knowledge check",
                template="foundation/projector_quiz.html",
                context=projector_context,
            )
        )
