"""The facilitator guide's half-day agenda, pre-work and post-workshop actions, as data.

Every new workshop starts from these; facilitators edit their own copy.
"""

# (block, title, planned minutes, facilitator notes)
AGENDA = [
    (1, "Welcome & Context Setting", 15,
     "Connect to the overall OAIO journey; why FinOps matters now."),
    (1, "AI Economics 101", 30,
     "Interactive education module.\n"
     "Token fundamentals: what tokens are, input vs. output costs.\n"
     "Model tiers & pricing: frontier vs. mid-tier vs. efficient models.\n"
     "Cost drivers: context windows, agent loops, output verbosity."),
    (1, "Cost Evolution Story", 15,
     "Show the dramatic cost reduction trajectory. Use the infographic: "
     "\"18 months ago this cost $X, today it costs $Y\"."),
    (1, "Break-Even Economics", 15, "API vs. self-hosted decision framework."),
    (1, "Q&A + Knowledge Check", 15, "Quick quiz to validate understanding."),
    (2, "Bottom Line vs. Top Line Framework", 15,
     "Present the two economic archetypes.\n"
     "Bottom line: cost reduction agents (labour savings, error reduction, cycle time).\n"
     "Top line: revenue generation agents (new capacity, conversion, speed-to-market)."),
    (2, "Agent Classification Exercise", 30,
     "Breakout tables classify their prioritised opportunities. Each agent gets an economic "
     "thesis statement and a primary value driver: \"This agent exists to [reduce cost X / "
     "generate revenue Y] by [specific mechanism].\""),
    (3, "KPI Framework Introduction", 15,
     "Four categories of AI value metrics: Efficiency, Capacity, Quality, Economic."),
    (3, "KPI Selection Workshop", 30,
     "Teams select 2-3 KPIs per agent. Push back on vague KPIs: "
     "\"improve efficiency\" is not a KPI."),
    (3, "Measurement Feasibility Check", 15,
     "Can we actually measure these today? If baseline data doesn't exist, create a task to "
     "establish it before setting targets."),
    (4, "Target Setting Framework", 15,
     "How to set targets that are ambitious but credible: baseline, industry benchmarking "
     "(discount vendor case studies by 30-50%), constraint analysis, value thresholds."),
    (4, "Target Workshop", 20,
     "Teams set 6-month and 12-month targets: floor, target and stretch. Document the "
     "assumptions behind every target."),
    (4, "Commitment & Close", 10,
     "Finance stakeholder validation. Finance presence in Block 4 is non-negotiable."),
]  # fmt: skip

# (key, title, description)
PREWORK = [
    ("read-pillar-5", "Read the Pillar 5 narrative",
     "Participants read the AI FinOps & Operational Economics narrative."),
    ("pillar-1-outputs", "Complete agent prioritisation (Pillar 1 outputs)",
     "The prioritised agent opportunities are required; import them before the day."),
    ("baseline-metrics", "Gather current baseline metrics",
     "Current baseline metrics for the processes the agents touch."),
    ("invite-finance", "Invite the finance stakeholder to Block 4",
     "Finance stakeholder presence in Block 4 is non-negotiable for target validation."),
]  # fmt: skip

# (key, owner, action, days after the workshop)
POST_WORKSHOP_ACTIONS = [
    ("guide:register", "OAIO Team", "Compile Agent Economics Register", 3),
    ("guide:leadership", "Client Finance", "Validate targets with leadership", 7),
    ("guide:forecast", "OAIO Team", "Build cost forecast models", 14),
    ("guide:observability", "Client IT", "Confirm observability tool requirements", 14),
]
