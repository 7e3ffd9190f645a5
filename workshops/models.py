"""Workshop, its breakout tables and participants, the agenda and its run state, pre-work and
post-workshop actions."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

from common import numbers

from . import zones
from .codes import format_code
from .currencies import CURRENCY_CHOICES


class Workshop(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Live"
        CLOSED = "closed", "Closed"

    class ProjectorView(models.TextChoices):
        AGENDA = "agenda", "Agenda and timer"
        SCHEDULE = "schedule", "Timed agenda"
        JOIN = "join", "Join screen"
        BOARD = "board", "Progress board"
        EVOLUTION = "evolution", "Cost evolution"
        TIERS = "tiers", "Model tiers"
        BREAK_EVEN = "break_even", "Break-even"
        QUIZ = "quiz", "Knowledge check"
        PORTFOLIO = "portfolio", "Portfolio"
        FEASIBILITY = "feasibility", "Feasibility check"
        FINANCE = "finance", "Finance status"
        TRACKING = "tracking", "Value tracking"

    # The same workshop on every server it moves to (a bundle carries it; see bundles/).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client_organisation = models.CharField(max_length=200)
    title = models.CharField(max_length=200, default="AI FinOps Workshop")
    date = models.DateField()
    # Every model price in the workshop is the list price in force on this day (see
    # agents.block2_selectors), so a later catalogue change never moves its figures.
    pricing_date = models.DateField(
        help_text="Model prices are the list prices in force on this day."
    )
    venue = models.CharField(max_length=200, blank=True)
    # The workshop's own clock (workshops/zones.py): every time it shows is in this zone, and
    # the agenda is printed from this start.
    start_time = models.TimeField(default=datetime.time(9, 0))
    time_zone = models.CharField(
        max_length=64, default=zones.default_name, validators=[zones.validate_name]
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    # Units of the workshop currency per US dollar; prices in the catalogue are USD.
    # Welcome & Context Setting: connect to the OAIO journey; why FinOps matters now. Shown on
    # the projector's welcome, the pre-work list and the Block 2 pages.
    why_now = models.TextField("why FinOps matters now", blank=True)
    narrative_url = models.CharField(
        "Pillar 5 narrative (link)",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    usd_exchange_rate = models.DecimalField(max_digits=12, decimal_places=6, default=1)
    # Where the rate comes from and the day it was read, shown beside every converted figure.
    usd_rate_date = models.DateField(null=True, blank=True)
    usd_rate_source = models.CharField(max_length=100, blank=True)
    # How people at this workshop write numbers; every number field reads this way.
    number_format = models.CharField(
        max_length=12, choices=numbers.CHOICES_BY_KEY, default=numbers.DEFAULT.key
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Goes up in the same transaction as any change in the workshop.
    revision = models.PositiveBigIntegerField(default=1)
    # Per-scope revisions (see workshops/changes.py): a live region re-renders only when one
    # of the scopes it shows went up. Bumped with `revision`, in the same transaction.
    room_revision = models.PositiveBigIntegerField(default=1)
    board_revision = models.PositiveBigIntegerField(default=1)
    work_revision = models.PositiveBigIntegerField(default=1)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_workshops", blank=True
    )
    finance_reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="reviewed_workshops", blank=True
    )

    # Run state: the current activity's countdown is started_at + planned duration, so every
    # screen draws the same second from the server's clock and a reload loses nothing.
    current_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    timer_running_since = models.DateTimeField(null=True, blank=True)
    projector_view = models.CharField(
        max_length=20, choices=ProjectorView.choices, default=ProjectorView.AGENDA
    )
    # The presenter's page turns of a paged projector view, net of forward and back: the
    # projector turns by the difference since it last looked (static/js/projector_pages.js).
    projector_turns = models.BigIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "client_organisation"]
        constraints = [
            models.CheckConstraint(
                condition=Q(usd_exchange_rate__gt=0), name="workshop_exchange_rate_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "live", "closed"]), name="workshop_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.client_organisation}: {self.title} ({self.date:%Y-%m-%d})"

    @property
    def rate_note(self) -> str:
        """'at 0.92 EUR per USD (ECB, 1 Dec 2026)', said beside every converted figure;
        '' for a workshop in US dollars."""
        if self.currency == "USD":
            return ""
        rate = f"{Decimal(self.usd_exchange_rate).normalize():f}"
        where = ", ".join(
            part
            for part in (
                self.usd_rate_source,
                f"{self.usd_rate_date.day} {self.usd_rate_date:%b %Y}"
                if self.usd_rate_date
                else "",
            )
            if part
        )
        return f"at {rate} {self.currency} per USD ({where or 'no date or source given'})"

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE


class Narrative(models.Model):
    """The Pillar 5 narrative uploaded as a PDF, one per workshop (beside or instead of
    `Workshop.narrative_url`). Handed out only as a download to the workshop's readers; the
    bytes are read only by that download."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="narrative")
    filename = models.CharField(max_length=160)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="narrative_size_positive"),
        ]

    def __str__(self):
        return f"{self.filename} ({self.size} bytes)"


class BreakoutTable(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(max_length=80)
    # Stored without separators; shown in groups ("ABCDE-FGHJK").
    join_code = models.CharField(max_length=16, unique=True)
    locked = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    # Goes up with any change to the table's own agents or people (workshops/changes.py).
    revision = models.PositiveBigIntegerField(default=1)
    # Goes up when what the table's summary shows changed: its agents' names, business
    # processes and step marks (digested in `summary_digest`), its people.
    summary_revision = models.PositiveBigIntegerField(default=1)
    summary_digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "name"], name="table_name_unique_in_workshop"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def join_code_display(self) -> str:
        return format_code(self.join_code)


class Participant(models.Model):
    table = models.ForeignKey(BreakoutTable, on_delete=models.CASCADE, related_name="participants")
    display_name = models.CharField(max_length=60)
    # Random token kept in the participant's browser session; brings them back after a reload.
    token = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["display_name", "pk"]

    def __str__(self):
        return f"{self.display_name} ({self.table})"


class AgendaItem(models.Model):
    class Block(models.IntegerChoices):
        FOUNDATION = 1, "Block 1: Foundation & Education"
        CLASSIFICATION = 2, "Block 2: Economic Classification"
        KPIS = 3, "Block 3: KPI Development"
        TARGETS = 4, "Block 4: Value Target Setting"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="agenda_items")
    block = models.PositiveSmallIntegerField(choices=Block.choices)
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    planned_minutes = models.PositiveIntegerField()
    facilitator_notes = models.TextField(blank=True)
    # Minutes added or removed on the day (negative removes), on top of the plan.
    adjustment_seconds = models.IntegerField(default=0)
    # Seconds the timer ran before the latest pause.
    elapsed_seconds = models.PositiveIntegerField(default=0)
    actual_started_at = models.DateTimeField(null=True, blank=True)
    actual_ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_minutes__gt=0), name="agenda_item_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(block__gte=1) & Q(block__lte=4), name="agenda_item_block_valid"
            ),
            models.UniqueConstraint(
                fields=["workshop", "position"], name="agenda_item_position_unique"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def duration_seconds(self) -> int:
        return max(0, self.planned_minutes * 60 + self.adjustment_seconds)


class PreworkItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="prework_items")
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "key"], name="prework_key_unique")
        ]

    def __str__(self):
        return self.title


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    class Origin(models.TextChoices):
        GUIDE = "guide", "Post-workshop action"
        BASELINE = "baseline", "Baseline task"
        INSTRUMENTATION = "instrument", "Instrumentation task"
        MANUAL = "manual", "Added by hand"
        TRACKING = "tracking", "Value tracking"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="actions")
    owner = models.CharField(max_length=200)
    action = models.CharField(max_length=500)
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    # Stable identity of a generated action ("guide:register", "baseline:kpi:12"), so that
    # generating again updates it instead of adding a copy.
    origin_key = models.CharField(max_length=80, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "origin_key"],
                condition=~Q(origin_key=""),
                name="action_origin_key_unique",
            )
        ]

    def __str__(self):
        return self.action
