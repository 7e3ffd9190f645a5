"""The facilitator's printable materials: KPI worksheets (one page per agent) and the
target-setting framework cards, with the words of the facilitator guide."""

from dataclasses import dataclass

from django.db.models import Prefetch

from kpis import rules
from kpis.models import AgentKpi, KpiDefinition
from workshops.models import Workshop

MAX_BLANK_WORKSHEETS = 40
WORKSHEET_ROWS = rules.MAX_KPIS


def blank_count(raw: str | None) -> int:
    """How many blank worksheets were asked for: 1 by default, at most MAX_BLANK_WORKSHEETS."""
    try:
        count = int(raw or 1)
    except ValueError:
        count = 1
    return max(1, min(MAX_BLANK_WORKSHEETS, count))


def worksheet_agents(workshop: Workshop, *, agent_id: int | None = None) -> list:
    """Agents in priority order with their table and chosen KPIs (3 queries)."""
    agents = workshop.agents.select_related("table").prefetch_related(
        Prefetch("kpis", queryset=AgentKpi.objects.order_by("created_at", "pk"))
    )
    if agent_id is not None:
        agents = agents.filter(pk=agent_id)
    return list(agents)


@dataclass(frozen=True)
class Worksheet:
    agent: object | None
    # Chosen KPIs first, then None for each empty row to fill in by hand.
    rows: tuple

    @property
    def filled_rows(self) -> int:
        return sum(1 for row in self.rows if row is not None)


def worksheets(agents: list) -> list[Worksheet]:
    sheets = []
    for agent in agents:
        kpis = list(agent.kpis.all())
        padding = max(0, WORKSHEET_ROWS - len(kpis))
        sheets.append(Worksheet(agent=agent, rows=(*kpis, *([None] * padding))))
    return sheets


def blank_worksheets(count: int) -> list[Worksheet]:
    return [Worksheet(agent=None, rows=(None,) * WORKSHEET_ROWS) for _ in range(count)]


def kpi_library_by_category() -> list[tuple[str, list[str]]]:
    """The four categories with the library's KPI names, for the worksheet's reference box."""
    names: dict[str, list[str]] = {key: [] for key, _ in rules.CATEGORY_CHOICES}
    for category, name in KpiDefinition.objects.filter(active=True).values_list("category", "name"):
        names.setdefault(category, []).append(name)
    return [(label, names.get(key, [])) for key, label in rules.CATEGORY_CHOICES]


# The target-setting framework, as the guide words it: (css class, kicker, title, points, use for)
FRAMEWORK_CARDS = [
    (
        "overview",
        "Target setting framework",
        "Ambitious but credible",
        [
            "Step 1: Establish the baseline",
            "Step 2: Industry benchmarking",
            "Step 3: Constraint analysis",
            "Step 4: Value thresholds (floor, target, stretch)",
            "Set 6-month and 12-month targets for every KPI",
            "Document the assumptions behind every target",
        ],
        "Finance stakeholder validation closes Block 4.",
    ),
    (
        "step",
        "Step 1",
        "Establish the baseline",
        [
            "What is the current state? It must be measurable.",
            'What does "good enough" look like vs. "transformational"?',
            "No baseline data? Create a task to establish it before setting targets.",
        ],
        "Write down the value, the date it was measured and its source.",
    ),
    (
        "step",
        "Step 2",
        "Industry benchmarking",
        [
            "What have similar organisations achieved?",
            "What do vendor case studies show?",
            "Discount vendor claims by 30-50% before using them.",
        ],
        "Record each source and the discount you applied.",
    ),
    (
        "step",
        "Step 3",
        "Constraint analysis",
        [
            "What limits adoption speed? Change management, data readiness.",
            "What is realistic given organisational capacity?",
            "How fast will people actually start using the agent?",
        ],
        "Constraints shape the 6-month value more than the 12-month one.",
    ),
    (
        "step",
        "Step 4",
        "Value thresholds",
        [
            "Floor: minimum acceptable. Use for the go/no-go decision.",
            "Target: expected outcome. Use for planning & budgeting.",
            "Stretch: optimistic upside. Use for incentive alignment.",
        ],
        "Set all three for 6 months and for 12 months.",
    ),
    (
        "floor",
        "Value threshold",
        "Floor",
        [
            "Minimum acceptable outcome.",
            "Below the floor, the agent does not pay its way.",
        ],
        "Use for: go/no-go decision.",
    ),
    (
        "target",
        "Value threshold",
        "Target",
        [
            "Expected outcome.",
            "What the plan and the budget count on.",
        ],
        "Use for: planning & budgeting.",
    ),
    (
        "stretch",
        "Value threshold",
        "Stretch",
        [
            "Optimistic upside.",
            "Credible if things go well; not the plan.",
        ],
        "Use for: incentive alignment.",
    ),
]
