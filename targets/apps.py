from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "Value targets (Block 4)"

    def ready(self):
        # Block 4 on the projector and on the progress board.
        from django.urls import reverse

        from workshops import locks, notices, progress
        from workshops.projector import ProjectorView, register

        from . import locks as finance_locks
        from .selectors import finance_presence_notice, finance_projector_context

        notices.provide(finance_presence_notice)
        # Blocks 2 and 3 refuse to change an agent finance signed off.
        locks.provide(
            "finance",
            refuse_change=finance_locks.refuse_if_locked,
            refuse_delete=finance_locks.refuse_if_signoff_history,
            locked_ids=finance_locks.locked_agent_ids,
        )

        register(
            ProjectorView(
                key="finance",
                label="Finance status",
                template="targets/pj_finance.html",
                context=finance_projector_context,
            )
        )
        progress.provide(
            "targets",
            done=_targets_done,
            prefetch=("kpis__value_target",),
            url=lambda agent: reverse("targets:agent", args=[agent.pk]),
        )
        progress.provide(
            "signed_off",
            done=_signed_off,
            prefetch=("finance_signoffs",),
            template="targets/_finance_feedback.html",
        )


def _targets_done(agent) -> bool:
    """Every KPI of the agent has confirmed floor / target / stretch at 6 and 12 months."""
    from .selectors import related

    kpis = list(agent.kpis.all())
    return bool(kpis) and all(related(kpi, "value_target") is not None for kpi in kpis)


def _signed_off(agent) -> bool:
    return any(signoff.in_force for signoff in agent.finance_signoffs.all())
