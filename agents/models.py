"""An AI agent opportunity from the client's Pillar 1 prioritisation, and its Block 2 economics."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from . import classification


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

    # Block 2: economic classification and thesis (rules in agents/classification.py).
    economic_class = models.CharField(
        max_length=12, choices=classification.ECONOMIC_CLASS_CHOICES, blank=True
    )
    value_driver = models.CharField(
        max_length=20, choices=classification.VALUE_DRIVER_CHOICES, blank=True
    )
    value_driver_other = models.CharField(
        max_length=classification.MAX_OTHER_DRIVER_LENGTH, blank=True
    )
    # "This agent exists to reduce cost <thesis_subject> by <thesis_mechanism>."
    thesis_subject = models.CharField(max_length=classification.MAX_PART_LENGTH, blank=True)
    thesis_mechanism = models.CharField(max_length=classification.MAX_PART_LENGTH, blank=True)

    # Optional AI workload, priced with the Block 1 catalogue (agents.block2_selectors
    # agent_cost_per_task_usd); Economic KPIs and Block 4 use the cost per task. A model in
    # use cannot be deleted from the catalogue, which would silently drop the workload.
    workload_model = models.ForeignKey(
        "foundation.LLMModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="model",
    )
    input_tokens_per_call = models.PositiveIntegerField(null=True, blank=True)
    output_tokens_per_call = models.PositiveIntegerField(null=True, blank=True)
    model_calls_per_task = models.PositiveIntegerField(null=True, blank=True)
    tasks_per_month = models.PositiveIntegerField(null=True, blank=True)
    # The list price the workload is priced at, copied from the catalogue as of the workshop's
    # pricing date when the workload is saved or re-priced, so no later catalogue change (a
    # new, back-dated or edited price) moves a workshop's figures or its sign-offs.
    workload_price_date = models.DateField(
        null=True, blank=True, help_text="The date the copied list price took effect."
    )
    workload_input_usd_per_mtok = models.DecimalField(
        max_digits=14, decimal_places=6, null=True, blank=True
    )
    workload_output_usd_per_mtok = models.DecimalField(
        max_digits=14, decimal_places=6, null=True, blank=True
    )
    workload_cached_input_usd_per_mtok = models.DecimalField(
        max_digits=14, decimal_places=6, null=True, blank=True
    )

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
            models.CheckConstraint(
                condition=(
                    Q(economic_class="", value_driver="")
                    | Q(
                        economic_class=classification.BOTTOM_LINE,
                        value_driver__in=classification.DRIVERS_BY_CLASS[
                            classification.BOTTOM_LINE
                        ],
                    )
                    | Q(
                        economic_class=classification.TOP_LINE,
                        value_driver__in=classification.DRIVERS_BY_CLASS[classification.TOP_LINE],
                    )
                ),
                name="agent_value_driver_fits_class",
            ),
            models.CheckConstraint(
                condition=~Q(value_driver=classification.OTHER_DRIVER) | ~Q(value_driver_other=""),
                name="agent_other_driver_named",
            ),
            models.CheckConstraint(
                condition=Q(model_calls_per_task__isnull=True) | Q(model_calls_per_task__gte=1),
                name="agent_model_calls_at_least_one",
            ),
            models.CheckConstraint(
                condition=Q(workload_price_date__isnull=True)
                | Q(
                    workload_input_usd_per_mtok__isnull=False,
                    workload_output_usd_per_mtok__isnull=False,
                ),
                name="agent_workload_price_complete",
            ),
            models.CheckConstraint(
                condition=Q(workload_input_usd_per_mtok__gte=0)
                & Q(workload_output_usd_per_mtok__gte=0)
                & Q(workload_cached_input_usd_per_mtok__gte=0),
                name="agent_workload_price_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_classified(self) -> bool:
        return bool(self.economic_class and self.value_driver)

    @property
    def thesis(self) -> str:
        """The economic thesis sentence, or "" while a part is missing."""
        return classification.thesis_sentence(
            self.economic_class, self.thesis_subject, self.thesis_mechanism
        )

    @property
    def value_driver_label(self) -> str:
        return classification.driver_label(self.value_driver, self.value_driver_other)

    @property
    def has_workload(self) -> bool:
        return (
            self.workload_model_id is not None
            and self.input_tokens_per_call is not None
            and self.output_tokens_per_call is not None
        )

    @property
    def has_pinned_price(self) -> bool:
        return self.workload_price_date is not None
