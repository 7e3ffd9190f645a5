"""Actuals after the workshop: per KPI and month, and per agent and month (run cost and volume).

A correction never overwrites: the earlier record is kept, marked replaced (`replaced_at`),
and the new one is the month's actual. One current actual per KPI (or agent) and month.
"""

from django.db import models
from django.db.models import Q

VALUE = {"max_digits": 20, "decimal_places": 4}


class KpiActual(models.Model):
    kpi = models.ForeignKey("kpis.AgentKpi", on_delete=models.CASCADE, related_name="actuals")
    period = models.DateField(help_text="The first day of the month the value is for.")
    value = models.DecimalField(**VALUE)
    source = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    entered_by = models.CharField(max_length=200)
    entered_at = models.DateTimeField()
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["period", "entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period"],
                condition=Q(replaced_at__isnull=True),
                name="kpi_actual_one_current_per_month",
            ),
        ]

    def __str__(self):
        return f"{self.kpi} {self.period:%Y-%m}: {self.value}"


class AgentActual(models.Model):
    agent = models.ForeignKey("agents.Agent", on_delete=models.CASCADE, related_name="actuals")
    period = models.DateField(help_text="The first day of the month the figures are for.")
    run_cost = models.DecimalField(
        "run cost", max_digits=16, decimal_places=2, help_text="In the workshop's currency."
    )
    tasks = models.PositiveIntegerField("tasks done", null=True, blank=True)
    source = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    entered_by = models.CharField(max_length=200)
    entered_at = models.DateTimeField()
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["period", "entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "period"],
                condition=Q(replaced_at__isnull=True),
                name="agent_actual_one_current_per_month",
            ),
            models.CheckConstraint(condition=Q(run_cost__gte=0), name="agent_actual_cost_min_0"),
        ]

    def __str__(self):
        return f"{self.agent} {self.period:%Y-%m}: {self.run_cost}"
