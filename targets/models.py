"""Block 4: value targets per KPI (benchmark evidence, constraints and adoption, floor / target /
stretch at 6 and 12 months with their assumptions), each agent's economics inputs, and the
finance validation (invites, change requests, sign-offs)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from . import economics, rules

MONEY = {"max_digits": 16, "decimal_places": 2}
KPI_VALUE = {"max_digits": 20, "decimal_places": 4}
PERCENT = {"max_digits": 7, "decimal_places": 2}


class BenchmarkEvidence(models.Model):
    """Step 2: what a similar organisation achieved, or what a vendor case study claims, as an
    improvement in percent of the starting point or as a change in the KPI's unit. Vendor
    claims are discounted by 30-50 %."""

    kpi = models.ForeignKey("kpis.AgentKpi", on_delete=models.CASCADE, related_name="benchmarks")
    kind = models.CharField(max_length=6, choices=rules.KIND_CHOICES)
    description = models.CharField("who achieved it", max_length=rules.MAX_TEXT)
    improvement_percent = models.DecimalField("improvement (%)", **PERCENT, null=True, blank=True)
    absolute_change = models.DecimalField(
        "improvement (in the KPI's unit)", **KPI_VALUE, null=True, blank=True
    )
    source = models.CharField(max_length=rules.MAX_TEXT)
    # Only vendor claims are discounted; a similar organisation's result counts as achieved.
    discount_percent = models.DecimalField(
        "discount (%)", **PERCENT, default=economics.DISCOUNT_DEFAULT
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "benchmark evidence"
        verbose_name_plural = "benchmark evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[economics.PEER, economics.VENDOR]),
                name="benchmark_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(improvement_percent__gt=0, absolute_change__isnull=True)
                | Q(improvement_percent__isnull=True, absolute_change__gt=0),
                name="benchmark_improvement_positive",
            ),
            models.CheckConstraint(
                condition=Q(
                    discount_percent__gte=economics.DISCOUNT_MIN,
                    discount_percent__lte=economics.DISCOUNT_MAX,
                ),
                name="benchmark_discount_in_range",
            ),
        ]

    def __str__(self):
        if self.improvement_percent is None:
            return f"{self.description}: {economics.plain(self.absolute_change)}"
        return f"{self.description}: {economics.plain(self.improvement_percent)} %"

    @property
    def is_vendor(self) -> bool:
        return self.kind == economics.VENDOR

    @property
    def as_benchmark(self) -> economics.Benchmark:
        return economics.Benchmark(
            kind=self.kind,
            improvement_percent=self.improvement_percent,
            discount_percent=self.discount_percent,
            absolute_change=self.absolute_change,
        )

    @property
    def is_absolute(self) -> bool:
        return self.improvement_percent is None

    @property
    def usable_percent(self) -> Decimal | None:
        """The improvement the targets may lean on (vendor claims after the discount)."""
        return self.as_benchmark.usable_percent

    @property
    def usable_absolute(self) -> Decimal | None:
        """An absolute benchmark's change after the discount, in the KPI's unit."""
        return self.as_benchmark.usable_absolute


class NoComparableEvidence(models.Model):
    """Step 2, when nothing comparable exists: the table says so for the KPI, and why. A KPI
    has either benchmark evidence or this statement."""

    kpi = models.OneToOneField(
        "kpis.AgentKpi", on_delete=models.CASCADE, related_name="no_evidence"
    )
    reason = models.TextField("why there is no comparable evidence")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "no comparable evidence"
        verbose_name_plural = "no comparable evidence"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="no_evidence_reason_given")
        ]

    def __str__(self):
        return f"No comparable evidence for {self.kpi}"


class ConstraintAnalysis(models.Model):
    """Step 3: what limits adoption of the agent for this KPI, and the adoption expected."""

    kpi = models.OneToOneField(
        "kpis.AgentKpi", on_delete=models.CASCADE, related_name="constraint_analysis"
    )
    change_management = models.BooleanField(default=False)
    data_readiness = models.BooleanField(default=False)
    organisational_capacity = models.BooleanField(default=False)
    other = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    adoption_6m_percent = models.DecimalField("expected adoption at 6 months (%)", **PERCENT)
    adoption_12m_percent = models.DecimalField("expected adoption at 12 months (%)", **PERCENT)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "constraint analysis"
        verbose_name_plural = "constraint analyses"
        constraints = [
            models.CheckConstraint(
                condition=Q(adoption_6m_percent__gte=0, adoption_6m_percent__lte=100)
                & Q(adoption_12m_percent__gte=0, adoption_12m_percent__lte=100),
                name="constraint_adoption_percent_range",
            ),
        ]

    def __str__(self):
        return f"Constraints for {self.kpi}"

    @property
    def constraint_labels(self) -> list[str]:
        """The constraints ticked, in the guide's words."""
        return [label for key, label in rules.CONSTRAINT_CHOICES if getattr(self, key)]

    @property
    def adoption(self) -> dict[int, Decimal]:
        return {6: self.adoption_6m_percent, 12: self.adoption_12m_percent}


class ValueTarget(models.Model):
    """Step 4: a KPI's floor (go/no-go), target (planning and budgeting) and stretch
    (incentives) at 6 and 12 months, with the assumptions behind them. Saved only when every
    rule in targets.rules.target_errors holds."""

    kpi = models.OneToOneField(
        "kpis.AgentKpi", on_delete=models.CASCADE, related_name="value_target"
    )
    floor_6m = models.DecimalField("6-month floor", **KPI_VALUE)
    target_6m = models.DecimalField("6-month target", **KPI_VALUE)
    stretch_6m = models.DecimalField("6-month stretch", **KPI_VALUE)
    floor_12m = models.DecimalField("12-month floor", **KPI_VALUE)
    target_12m = models.DecimalField("12-month target", **KPI_VALUE)
    stretch_12m = models.DecimalField("12-month stretch", **KPI_VALUE)
    assumptions = models.TextField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(assumptions=""), name="value_target_assumptions")
        ]

    def __str__(self):
        return f"Targets for {self.kpi}"

    def value(self, horizon: int, level: str) -> Decimal:
        return getattr(self, rules.field_name(horizon, level))

    @property
    def values(self) -> dict[tuple[int, str], Decimal]:
        """{(horizon_months, level): value}, e.g. {(6, "floor"): Decimal("100")}."""
        return {
            (horizon, level): self.value(horizon, level)
            for horizon in economics.HORIZONS
            for level in economics.LEVELS
        }


class AgentEconomics(models.Model):
    """The agent's economics inputs: which KPI carries its value and what a unit is worth, its
    monthly run cost and one-off build cost. Results come from targets.economics."""

    agent = models.OneToOneField("agents.Agent", on_delete=models.CASCADE, related_name="economics")
    value_kpi = models.ForeignKey(
        "kpis.AgentKpi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="KPI that carries the value",
    )
    value_per_unit = models.DecimalField("value per unit of the KPI", **MONEY)
    value_basis = models.CharField(
        "how the value per unit is worked out", max_length=200, blank=True
    )
    period = models.CharField(
        "the KPI is counted", max_length=8, choices=economics.PERIOD_CHOICES, default="week"
    )
    # The monthly AI run cost comes from the Block 3 workload (cost per task x tasks per month)
    # when there is one, else from model_cost_monthly.
    tasks_per_month = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    model_cost_monthly = models.DecimalField(
        "AI run cost per month", **MONEY, null=True, blank=True
    )
    other_monthly_cost = models.DecimalField("other monthly costs", **MONEY, default=0)
    build_cost = models.DecimalField("one-off build cost", **MONEY)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "agent economics"
        verbose_name_plural = "agent economics"
        constraints = [
            models.CheckConstraint(
                condition=Q(value_per_unit__gte=0)
                & Q(build_cost__gte=0)
                & Q(other_monthly_cost__gte=0)
                & (Q(model_cost_monthly__isnull=True) | Q(model_cost_monthly__gte=0))
                & (Q(tasks_per_month__isnull=True) | Q(tasks_per_month__gte=0)),
                name="agent_economics_not_negative",
            ),
        ]

    def __str__(self):
        return f"Economics of {self.agent}"


class FinanceInvite(models.Model):
    """A one-time link that gives a finance representative without an account the finance role
    on one workshop. Only the SHA-256 of the token is stored; the link is shown once."""

    workshop = models.ForeignKey(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="finance_invites"
    )
    name = models.CharField(max_length=120)
    title = models.CharField("role or title", max_length=120)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.title})"

    def state(self, now) -> str:
        """ "revoked", "expired", "used" or "open"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if self.used_at is not None:
            return "used"
        return "open"


class FinanceChangeRequest(models.Model):
    """Finance sends an agent's targets back to its table with a comment."""

    agent = models.ForeignKey(
        "agents.Agent", on_delete=models.CASCADE, related_name="finance_change_requests"
    )
    reviewer_name = models.CharField(max_length=150)
    reviewer_title = models.CharField(max_length=120, blank=True)
    reviewer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invite = models.ForeignKey(
        FinanceInvite, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when finance later signs the agent off.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Changes requested on {self.agent} by {self.reviewer_name}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class SignOffHistoryKept(Exception):
    """Sign-offs are evidence: they are voided, never deleted."""


SIGNOFF_NOT_DELETED = (
    "A finance sign-off is never deleted: reopen the agent to void it (the history keeps it)."
)


class FinanceSignOffQuerySet(models.QuerySet):
    def in_force(self):
        """Valid sign-offs whose signature verified: the ones that lock and count."""
        return self.filter(
            status=FinanceSignOff.Status.VALID, verification=FinanceSignOff.Verification.VERIFIED
        )

    def delete(self):
        raise SignOffHistoryKept(SIGNOFF_NOT_DELETED)


class FinanceSignOff(models.Model):
    """Finance's sign-off of an agent: who, when, the SHA-256 of the canonical signed values
    (targets.signing) and a server's Ed25519 signature of them (targets.signatures). At most
    one valid, verified sign-off per agent; reopening voids it, and the history stays: a
    sign-off is never deleted on its own (only with its whole workshop). A sign-off imported
    from a bundle whose signature does not verify against a trusted key is kept, marked
    "imported, not verified", and neither locks the agent nor counts."""

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        VOID = "void", "Void"

    class Verification(models.TextChoices):
        VERIFIED = "verified", "Verified"
        UNVERIFIED = "unverified", "Imported, not verified"

    agent = models.ForeignKey(
        "agents.Agent", on_delete=models.CASCADE, related_name="finance_signoffs"
    )
    signer_name = models.CharField(max_length=150)
    signer_title = models.CharField("role or title", max_length=120)
    signer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invite = models.ForeignKey(
        FinanceInvite, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField()
    values_sha256 = models.CharField(max_length=64)
    # The canonical JSON that was hashed, kept so the history shows what was signed.
    signed_values = models.TextField()
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.VALID)
    void_reason = models.CharField(max_length=200, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The exact text the signature covers (targets.signatures.signoff_message), kept as signed
    # so that a bundle can carry it to another server. Empty only on a sign-off imported from
    # a bundle of version 1, which had no signatures.
    signed_message = models.TextField(blank=True)
    signature = models.CharField("Ed25519 signature (base64)", max_length=88, blank=True)
    public_key = models.CharField("signer's public key (base64)", max_length=44, blank=True)
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.VERIFIED
    )

    objects = FinanceSignOffQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-pk"]
        verbose_name = "finance sign-off"
        constraints = [
            models.UniqueConstraint(
                fields=["agent"],
                condition=Q(status="valid", verification="verified"),
                name="one_valid_signoff_per_agent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "void"]), name="signoff_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(verification__in=["verified", "unverified"]),
                name="signoff_verification_valid",
            ),
        ]

    def __str__(self):
        return f"{self.agent} signed off by {self.signer_name} ({self.signer_title})"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def is_verified(self) -> bool:
        return self.verification == self.Verification.VERIFIED

    @property
    def in_force(self) -> bool:
        """Valid and verified: locks the agent and counts towards the register's Final."""
        return self.is_valid and self.is_verified

    def delete(self, *args, **kwargs):
        raise SignOffHistoryKept(SIGNOFF_NOT_DELETED)


class FinancePresence(models.Model):
    """When a finance reviewer (an account or an invite holder) last had the workshop's
    finance pages open: the presenter warns when Block 4 runs with nobody from finance seen in
    the last `PRESENT_MINUTES`, and the projector names who is here."""

    PRESENT_MINUTES = 30

    workshop = models.ForeignKey(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="finance_presence"
    )
    # "user:<pk>" or "invite:<pk>": one row per person and workshop.
    key = models.CharField(max_length=40)
    name = models.CharField(max_length=150)
    title = models.CharField(max_length=120, blank=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "key"], name="one_presence_per_person")
        ]

    def __str__(self):
        return f"{self.name} seen {self.last_seen_at:%Y-%m-%d %H:%M}"
