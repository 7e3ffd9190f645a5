"""An AI agent opportunity from the client's Pillar 1 prioritisation, and its Block 2 economics."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class Agent(models.Model):
    workshop = models.ForeignKey(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="agents"
    )
    table = models.ForeignKey(
        "workshops.BreakoutTable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agents",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    business_process = models.CharField(max_length=200, blank=True)
    priority_rank = models.PositiveIntegerField(null=True, blank=True)
    owner_name = models.CharField(max_length=200, blank=True)
    owner_email = models.EmailField(blank=True)
    # Optimistic concurrency: a save names the version it started from (see workshops.concurrency).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("priority_rank").asc(nulls_last=True), "name"]
        constraints = [
            models.UniqueConstraint(
                "workshop", Lower("name"), name="agent_name_unique_in_workshop"
            ),
            models.CheckConstraint(
                condition=Q(priority_rank__isnull=True) | Q(priority_rank__gte=1),
                name="agent_priority_rank_positive",
            ),
        ]

    def __str__(self):
        return self.name
