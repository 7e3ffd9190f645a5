"""The facilitator's printable materials: KPI worksheets (one page per agent), the
target-setting framework cards, the run sheet, the floor / target / stretch sheets per KPI and
the physical materials, with the words of the facilitator guide."""

from dataclasses import dataclass

from django.db.models import Prefetch

from kpis import rules
from kpis.models import AgentKpi, KpiDefinition
from workshops import zones
from workshops.agenda_times import clock, time_slots, wall_label
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


# The guide's value thresholds and what each is used for.
THRESHOLD_USES = [
    ("floor", "Go/no-go decision"),
    ("target", "Planning & budgeting"),
    ("stretch", "Incentive alignment"),
]

# What the room needs besides the printouts (the guide's "Materials needed" and what running it
# from laptops adds): (item, why).
PHYSICAL_MATERIALS = [
    ("Flip charts or a whiteboard, with markers", "Group work at the breakout tables."),
    ("Projector and screen, with an HDMI or USB-C adapter", "The projector view and the agenda."),
    ("Name cards for every participant", "Tables mix people who have not met."),
    ("Printed cost evolution infographic", "Block 1: the cost reduction story."),
    ("Printed KPI worksheets, one per agent", "Block 3: KPI selection."),
    ("Printed target-setting framework cards", "Block 4: target setting."),
    ("Printed floor / target / stretch sheets, one per KPI", "Block 4: the target workshop."),
    ("Printed run sheet", "The facilitator keeps time."),
    ("Power strips and extension leads", "Laptops at every table."),
    ("Wi-Fi for the room (or this laptop's hotspot)", "Tables join from their laptops."),
    ("Sticky notes and pens", "Constraints and assumptions on the wall."),
]

# The guide's "Key Facilitation Notes", each with the activity it belongs to.
RUN_SHEET_TIPS = {
    "Welcome & Context Setting": [
        "This workshop requires completed Pillar 1 outputs (prioritised agent opportunities).",
    ],
    "Q&A + Knowledge Check": ["Quick quiz to validate understanding before Block 2."],
    "Agent Classification Exercise": [
        'Every agent leaves with one sentence: "This agent exists to [reduce cost X / generate '
        'revenue Y] by [specific mechanism]."',
    ],
    "KPI Selection Workshop": ['Push back on vague KPIs: "improve efficiency" is not a KPI.'],
    "Measurement Feasibility Check": [
        "If baseline data doesn't exist, create a task to establish it before setting targets.",
    ],
    "Target Setting Framework": [
        "Discount vendor case studies by 30-50 %.",
        'Ask per KPI what "good enough" looks like vs. "transformational".',
    ],
    "Target Workshop": ["Document assumptions behind every target for future reference."],
    "Commitment & Close": [
        "Finance stakeholder presence in Block 4 is non-negotiable for target validation.",
    ],
}


@dataclass(frozen=True)
class RunSheetRow:
    block: int
    start: str  # from the opening, in the guide's notation ("1:30")
    end: str
    at: str  # on the venue's clock ("10:30-10:45")
    minutes: int
    title: str
    notes: list
    tips: list


def run_sheet(workshop: Workshop) -> list[RunSheetRow]:
    """Every activity of the workshop's agenda in order, with its start and end counted from
    the opening and on the venue's clock, its planned minutes, the facilitator's notes and
    the guide's tips (1 query)."""
    items = list(workshop.agenda_items.order_by("position", "pk"))
    slots = time_slots([item.planned_minutes for item in items])
    opening = zones.starts_at(workshop)

    def tips(item) -> list[str]:
        # A tip the facilitator's notes already say is not printed twice.
        notes = " ".join(item.facilitator_notes.split()).lower()
        return [tip for tip in RUN_SHEET_TIPS.get(item.title, []) if tip.lower() not in notes]

    return [
        RunSheetRow(
            block=item.block,
            start=clock(start),
            end=clock(end),
            at=wall_label(opening, (start, end)),
            minutes=item.planned_minutes,
            title=item.title,
            notes=[line for line in item.facilitator_notes.splitlines() if line.strip()],
            tips=tips(item),
        )
        for item, (start, end) in zip(items, slots, strict=True)
    ]
