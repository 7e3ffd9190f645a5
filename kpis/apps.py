from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs (Block 3)"

    def ready(self):
        # Block 3 on the projector and on the progress board.
        from django.urls import reverse

        from workshops import progress
        from workshops.projector import ProjectorView, register

        from . import rules
        from .selectors import feasibility_projector_context

        register(
            ProjectorView(
                key="feasibility",
                label="Feasibility check",
                template="kpis/pj_feasibility.html",
                context=feasibility_projector_context,
            )
        )
        progress.provide(
            "kpis",
            done=lambda agent: rules.kpis_complete(agent.kpis.all()),
            prefetch=("kpis",),
            url=lambda agent: reverse("kpis:agent_kpis", args=[agent.pk]),
            template="kpis/agent_step.html",
        )
