"""Actuals after the workshop: per KPI and month, and per agent and month (run cost and volume).

A correction never overwrites: the earlier record is kept, marked replaced (`replaced_at`),
and the new one is the month's actual. One current actual per KPI (or agent) and month.
"""

from django.db import models
from django.db.models import Q

VALUE = {"max_digits": 20, "decimal_places": 4}


class MonthlyActual(models.Model):
    """What every monthly actual records besides its figures: the month (its first day), where
    it comes from, who entered it and when, and when a correction replaced it."""

    period = models.DateField(help_text="The first day of the month the figures are for.")
    source = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    entered_by = models.CharField(max_length=200)
    entered_at = models.DateTimeField()
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["period", "entered_at"]


class KpiActual(MonthlyActual):
    kpi = models.ForeignKey("kpis.AgentKpi", on_delete=models.CASCADE, related_name="actuals")
    value = models.DecimalField(**VALUE)

    class Meta(MonthlyActual.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period"],
                condition=Q(replaced_at__isnull=True),
                name="kpi_actual_one_current_per_month",
            ),
        ]

    def __str__(self):
        return f"{self.kpi} {self.period:%Y-%m}: {self.value}"


class AgentActual(MonthlyActual):
    agent = models.ForeignKey("agents.Agent", on_delete=models.CASCADE, related_name="actuals")
    run_cost = models.DecimalField(
        "run cost", max_digits=16, decimal_places=2, help_text="In the workshop's currency."
    )
    tasks = models.PositiveIntegerField("tasks done", null=True, blank=True)

    class Meta(MonthlyActual.Meta):
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


class ApiToken(models.Model):
    """A system's key to one workshop's actuals: read, or read and write. Shown once when made;
    only its SHA-256 is kept. Revoked tokens stay listed."""

    class Scope(models.TextChoices):
        READ = "read", "Read actuals"
        WRITE = "write", "Read and write actuals"

    workshop = models.ForeignKey(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.WRITE)
    token_hash = models.CharField(max_length=64, unique=True)
    # The token's first characters, so people can tell their tokens apart.
    prefix = models.CharField(max_length=12)
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="api_token_scope_valid"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class OwnerLink(models.Model):
    """A link the agent's owner uses each month to enter its actuals: scoped to one agent,
    valid until it expires or is revoked. Only the token's SHA-256 is kept."""

    agent = models.ForeignKey("agents.Agent", on_delete=models.CASCADE, related_name="owner_links")
    name = models.CharField(max_length=200, help_text="Who the link is for.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Owner link of {self.agent} for {self.name}"

    def state(self, now) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if now >= self.expires_at else "active"
