from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "agents"
    verbose_name = "Agents (Block 2)"

    def ready(self):
        # Block 2 on the projector and on the progress board.
        from django.urls import reverse

        from workshops import progress
        from workshops.projector import ProjectorView, register

        from .block2_selectors import portfolio_projector_context

        register(
            ProjectorView(
                key="portfolio",
                label="Portfolio",
                template="agents/pj_portfolio.html",
                context=portfolio_projector_context,
            )
        )
        for step in ("classified", "thesis"):
            progress.provide(
                step,
                url=lambda agent: reverse("block2:classify", args=[agent.pk]),
                template=f"agents/block2_step_{step}.html",
            )
