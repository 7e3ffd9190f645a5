"""Block 3: the KPI library (four categories of AI value metrics) and each agent's 2-3 KPIs with
data source, measurement feasibility and baseline."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from . import rules


class KpiDefinition(models.Model):
    """A KPI the guide names, offered to every table; editable in the admin."""

    # Stable identity, so seeding again updates the row instead of adding a copy.
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=rules.MAX_NAME_LENGTH)
    category = models.CharField(max_length=12, choices=rules.CATEGORY_CHOICES)
    definition = models.TextField()
    unit = models.CharField(max_length=rules.MAX_UNIT_LENGTH)
    direction = models.CharField(max_length=6, choices=rules.DIRECTION_CHOICES)
    typical_data_sources = models.TextField(blank=True)
    serves = models.CharField("serves archetype", max_length=12, choices=rules.SERVES_CHOICES)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Offered to tables when ticked.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "KPI definition"
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[key for key, _ in rules.CATEGORY_CHOICES]),
                name="kpi_definition_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[rules.HIGHER, rules.LOWER]),
                name="kpi_definition_direction_valid",
            ),
        ]

    def __str__(self):
        return self.name


class AgentKpi(models.Model):
    """One of an agent's 2-3 KPIs: from the library (definition set) or custom (definition
    empty)."""

    agent = models.ForeignKey("agents.Agent", on_delete=models.CASCADE, related_name="kpis")
    definition = models.ForeignKey(
        KpiDefinition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=rules.MAX_NAME_LENGTH)
    category = models.CharField(max_length=12, choices=rules.CATEGORY_CHOICES)
    unit = models.CharField(max_length=rules.MAX_UNIT_LENGTH)
    direction = models.CharField(max_length=6, choices=rules.DIRECTION_CHOICES)
    data_source_system = models.CharField("data source (system)", max_length=200, blank=True)
    data_source_owner = models.CharField("data owner", max_length=200, blank=True)
    # "To be instrumented by <owner> by <date>": the data source of a KPI not measurable today;
    # an action item for the owner, due on this date.
    instrument_by = models.DateField("to be instrumented by", null=True, blank=True)
    measurement_frequency = models.CharField(max_length=12, choices=rules.FREQUENCY_CHOICES)
    feasibility = models.CharField(max_length=12, choices=rules.FEASIBILITY_CHOICES)
    baseline_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_as_of = models.DateField(null=True, blank=True)
    baseline_source = models.CharField(max_length=200, blank=True)
    # Ticked when no baseline exists yet; a task to establish it is then on the action list.
    no_baseline = models.BooleanField(default=False)
    # Block 4, step 1: what "good enough" and "transformational" look like for this KPI.
    good_enough = models.CharField(
        '"good enough" looks like', max_length=rules.MAX_AMBITION_LENGTH, blank=True
    )
    transformational = models.CharField(
        '"transformational" looks like', max_length=rules.MAX_AMBITION_LENGTH, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "agent KPI"
        constraints = [
            models.UniqueConstraint("agent", Lower("name"), name="agent_kpi_name_unique"),
            models.CheckConstraint(
                condition=Q(category__in=[key for key, _ in rules.CATEGORY_CHOICES]),
                name="agent_kpi_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[rules.HIGHER, rules.LOWER]),
                name="agent_kpi_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(feasibility__in=[key for key, _ in rules.FEASIBILITY_CHOICES]),
                name="agent_kpi_feasibility_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(no_baseline=True, baseline_value__isnull=True)
                    | Q(
                        no_baseline=False,
                        baseline_value__isnull=False,
                        baseline_value__gte=0,
                        baseline_as_of__isnull=False,
                    )
                ),
                name="agent_kpi_baseline_or_task",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_baseline(self) -> bool:
        return self.baseline_value is not None

    @property
    def is_custom(self) -> bool:
        return self.definition_id is None

    @property
    def feasibility_colour(self) -> str:
        return rules.FEASIBILITY_COLOURS.get(self.feasibility, "red")

    @property
    def baseline_action_key(self) -> str:
        return f"baseline:kpi:{self.pk}"

    @property
    def instrument_action_key(self) -> str:
        return f"instrument:kpi:{self.pk}"

    @property
    def has_data_source(self) -> bool:
        return rules.has_data_source(
            feasibility=self.feasibility,
            system=self.data_source_system,
            owner=self.data_source_owner,
            instrument_by=self.instrument_by,
        )

    @property
    def data_source_text(self) -> str:
        """The data source as the register and the pages say it."""
        return rules.data_source_text(
            feasibility=self.feasibility,
            system=self.data_source_system,
            owner=self.data_source_owner,
            instrument_by=self.instrument_by,
        )

    @property
    def baseline_text(self) -> str:
        """The baseline as a person writes it: 1,250.5 rather than 1250.5000."""
        if self.baseline_value is None:
            return ""
        return f"{self.baseline_value.normalize():,f}"
