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

        from workshops.changes import ROOM_OVERVIEW

        from . import projector_selectors as block1

        # Block 1 on the screen; they redraw when the facilitator puts new inputs on it.
        for key, label, template, context in (
            ("evolution", "Cost evolution", "pj_evolution.html", block1.evolution_view),
            ("tiers", "Model tiers", "pj_tiers.html", block1.tiers_view),
            ("break_even", "Break-even", "pj_break_even.html", block1.break_even_view),
        ):
            register(
                ProjectorView(
                    key=key,
                    label=label,
                    template=f"foundation/{template}",
                    context=context,
                    watches=ROOM_OVERVIEW,
                )
            )
