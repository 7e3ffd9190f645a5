"""Block 1: the glossary, the LLM model catalogue with dated prices, and the knowledge check."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class GlossaryTerm(models.Model):
    class Category(models.TextChoices):
        TOKENS = "tokens", "Tokens and pricing"
        MODELS = "models", "Models and serving"
        AGENTS = "agents", "Agents and architecture"
        FINOPS = "finops", "FinOps practice"
        VALUE = "value", "Value and targets"

    term = models.CharField(max_length=80)
    # Other spellings that should show the same definition ("return on investment").
    aliases = models.CharField(
        max_length=300, blank=True, help_text="Other names for the term, separated by commas."
    )
    category = models.CharField(max_length=10, choices=Category.choices)
    definition = models.TextField()
    # A worked number, where one makes the idea concrete.
    example = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Lower("term")]
        constraints = [models.UniqueConstraint(Lower("term"), name="glossary_term_unique")]

    def __str__(self):
        return self.term

    @property
    def anchor(self) -> str:
        from django.utils.text import slugify

        return f"term-{slugify(self.term)}"

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]


class LLMModel(models.Model):
    class Tier(models.TextChoices):
        FRONTIER = "frontier", "Frontier"
        MID_TIER = "mid-tier", "Mid-tier"
        EFFICIENT = "efficient", "Efficient"

    provider = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    # A judgement of capability at the model's launch.
    tier = models.CharField(max_length=10, choices=Tier.choices)
    context_window = models.PositiveIntegerField(
        null=True, blank=True, help_text="Maximum input tokens."
    )
    # Retired models stay in the price history and the charts, but are not offered for new
    # workloads from their shutdown date on.
    retired_on = models.DateField(
        null=True, blank=True, help_text="Shutdown date the vendor states; empty if none is known."
    )
    retired_date_unknown = models.BooleanField(
        default=False,
        help_text="No longer sold, but no dated source says since when: kept in the history, "
        "not offered for new workloads.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "name"]
        verbose_name = "LLM model"
        constraints = [
            models.UniqueConstraint(
                Lower("provider"), Lower("name"), name="llm_model_unique_per_provider"
            ),
            models.CheckConstraint(
                condition=Q(tier__in=["frontier", "mid-tier", "efficient"]),
                name="llm_model_tier_valid",
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.name}"

    def on_sale(self, day: datetime.date) -> bool:
        """Whether the model can be chosen for a new workload priced on `day`."""
        if self.retired_date_unknown:
            return False
        return self.retired_on is None or day < self.retired_on

    def price_on(self, day: datetime.date) -> "PricePoint | None":
        """The price in force on `day`: the latest point dated on or before it. Uses prefetched
        price points when present (see selectors.models_with_prices)."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "price_points" in cache:
            dated = [p for p in cache["price_points"] if p.effective_date <= day]
            return max(dated, key=lambda p: p.effective_date, default=None)
        return self.price_points.filter(effective_date__lte=day).order_by("-effective_date").first()


class PricePoint(models.Model):
    """A list price in USD per million tokens, in force from `effective_date` until the model's
    next price point."""

    model = models.ForeignKey(LLMModel, on_delete=models.CASCADE, related_name="price_points")
    effective_date = models.DateField()
    input_usd_per_mtok = models.DecimalField(max_digits=14, decimal_places=6)
    output_usd_per_mtok = models.DecimalField(max_digits=14, decimal_places=6)
    cached_input_usd_per_mtok = models.DecimalField(
        max_digits=14, decimal_places=6, null=True, blank=True
    )
    source = models.CharField(max_length=600)
    # When the source was read: the catalogue's prices are known up to the newest such date.
    listed_on = models.DateField(
        null=True,
        blank=True,
        help_text="The date the source was read (empty: the effective date).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["model", "effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "effective_date"], name="price_point_one_per_model_and_date"
            ),
            models.CheckConstraint(
                condition=Q(input_usd_per_mtok__gte=0)
                & Q(output_usd_per_mtok__gte=0)
                & (Q(cached_input_usd_per_mtok__isnull=True) | Q(cached_input_usd_per_mtok__gte=0)),
                name="price_point_prices_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.model} from {self.effective_date:%Y-%m-%d}"


class Question(models.Model):
    """A knowledge-check question about Block 1."""

    key = models.SlugField(max_length=60, unique=True, help_text="Stable name used by the seed.")
    text = models.CharField(max_length=400)
    # The answers in the order shown, 2 to 6 of them.
    choices = models.JSONField(help_text='A list of answers, e.g. ["Input", "Output"].')
    correct_choice = models.PositiveSmallIntegerField(
        help_text="Position of the right answer, from 0."
    )
    explanation = models.TextField()
    concept = models.CharField(
        max_length=80, help_text="What a wrong answer shows needs revisiting."
    )
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        choices = self.choices
        if not isinstance(choices, list) or not 2 <= len(choices) <= 6:
            raise ValidationError({"choices": "Give between 2 and 6 answers as a list."})
        if not all(isinstance(c, str) and c.strip() for c in choices):
            raise ValidationError({"choices": "Every answer must be a non-empty text."})
        if self.correct_choice is not None and self.correct_choice >= len(choices):
            raise ValidationError(
                {"correct_choice": f"Choose a position from 0 to {len(choices) - 1}."}
            )

    @property
    def letters(self) -> list[tuple[str, str]]:
        return [(chr(ord("A") + i), choice) for i, choice in enumerate(self.choices)]

    @property
    def correct_letter(self) -> str:
        return chr(ord("A") + self.correct_choice)


class QuizRound(models.Model):
    """A workshop's knowledge check: which question is on screen now."""

    workshop = models.OneToOneField(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="quiz_round"
    )
    current_run = models.ForeignKey(
        "QuestionRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Knowledge check of {self.workshop}"


class QuestionRun(models.Model):
    """One question asked in one workshop: open while the room answers, closed for results."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    round = models.ForeignKey(QuizRound, on_delete=models.CASCADE, related_name="runs")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["question__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "question"], name="question_run_once"),
            models.UniqueConstraint(
                fields=["round"], condition=Q(status="open"), name="question_run_one_open"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="question_run_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.question} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Answer(models.Model):
    """A participant's answer to a question run; changeable until the run closes."""

    run = models.ForeignKey(QuestionRun, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(
        "workshops.Participant", on_delete=models.CASCADE, related_name="quiz_answers"
    )
    choice = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant"], name="answer_one_per_participant"
            )
        ]

    def __str__(self):
        return f"{self.participant}: {self.choice}"


class ToolInputs(models.Model):
    """What a facilitator last put on the projector from a Block 1 tool of a workshop: the
    calculator's workload and model, the evolution window, the break-even figures. Values are
    the forms' cleaned values written as plain text ("40.5"), read back in the default number
    format; the projector views fall back to the tools' defaults where none is stored."""

    workshop = models.OneToOneField(
        "workshops.Workshop",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="tool_inputs",
    )
    calculator = models.JSONField(default=dict, blank=True)
    window = models.JSONField(default=dict, blank=True)
    break_even = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Block 1 projector inputs"
        verbose_name_plural = "Block 1 projector inputs"

    def __str__(self):
        return f"Block 1 projector inputs of {self.workshop}"
